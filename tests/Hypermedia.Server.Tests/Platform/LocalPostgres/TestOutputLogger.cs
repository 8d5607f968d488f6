using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hypermedia.Server.Tests.Platform.LocalPostgres;

/// <summary>Shows log lines in the test output and keeps them for assertions.</summary>
internal sealed class TestOutputLogger(ITestOutputHelper output) : ILogger
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{logLevel}: {formatter(state, exception)}";
        lock (lines)
        {
            lines.Add(line);
        }

        output.WriteLine(line);
    }
}
