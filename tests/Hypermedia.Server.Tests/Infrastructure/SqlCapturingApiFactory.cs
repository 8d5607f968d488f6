using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>The app with EF Core's executed-command log captured, to assert what ran in SQL.</summary>
public sealed class SqlCapturingApiFactory : ApiFactory
{
    private const string CommandCategory = "Microsoft.EntityFrameworkCore.Database.Command";

    public ConcurrentQueue<string> Commands { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting($"Logging:LogLevel:{CommandCategory}", "Information");
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(new CaptureProvider(Commands)));
    }

    /// <summary>Runs <paramref name="action"/> and returns the SQL commands it executed.</summary>
    public async Task<List<string>> CaptureAsync(Func<Task> action)
    {
        Commands.Clear();
        await action();
        return [.. Commands];
    }

    private sealed class CaptureProvider(ConcurrentQueue<string> commands) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => categoryName == CommandCategory ? new CaptureLogger(commands) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }
    }

    private sealed class CaptureLogger(ConcurrentQueue<string> commands) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name?.EndsWith("CommandExecuted", StringComparison.Ordinal) == true)
            {
                commands.Enqueue(formatter(state, exception));
            }
        }
    }
}
