using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>
/// The app with every SQL command EF Core executes for a request captured, to assert what ran in SQL.
/// Background jobs (a dispatch, the simulator's report) run beside the requests and are not counted.
/// </summary>
public sealed class SqlCapturingApiFactory : ApiFactory
{
    public ConcurrentQueue<string> Commands { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // An interceptor on the context's options, not a logger: pooled contexts build their options once
        // from the root provider, and an interceptor sees each command whatever the log levels say.
        builder.ConfigureServices(services =>
            services.ConfigureDbContext<HypermediaDbContext>((provider, options) =>
                options.AddInterceptors(new CaptureInterceptor(Commands, provider.GetRequiredService<IHttpContextAccessor>()))));
    }

    /// <summary>
    /// Sends each request in turn, checks its status and returns "route: commands" per route, for a test to
    /// compare with its pins in one assertion that names every route that moved.
    /// </summary>
    public async Task<List<string>> CountCommandsAsync(IEnumerable<(string Route, Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status)> routes)
    {
        var counted = new List<string>();
        foreach (var (route, send, status) in routes)
        {
            var sql = await CaptureAsync(async () => Xunit.Assert.Equal(status, (await send()).StatusCode));
            counted.Add($"{route}: {sql.Count}");
        }

        return counted;
    }

    /// <summary>Runs <paramref name="action"/> and returns the SQL commands it executed.</summary>
    public async Task<List<string>> CaptureAsync(Func<Task> action)
    {
        Commands.Clear();
        await action();
        return [.. Commands];
    }

    /// <summary>Records a command once it has executed, as EF Core's command log does.</summary>
    private sealed class CaptureInterceptor(ConcurrentQueue<string> requestCommands, IHttpContextAccessor requests) : DbCommandInterceptor
    {
        private readonly Queue commands = new(requestCommands, requests);

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            commands.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            commands.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        {
            commands.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            commands.Enqueue(command.CommandText);
            return result;
        }

        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            commands.Enqueue(command.CommandText);
            return result;
        }

        public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
        {
            commands.Enqueue(command.CommandText);
            return result;
        }

        /// <summary>Keeps the commands run while a request is being served.</summary>
        private sealed class Queue(ConcurrentQueue<string> commands, IHttpContextAccessor requests)
        {
            public void Enqueue(string command)
            {
                if (requests.HttpContext is not null)
                {
                    commands.Enqueue(command);
                }
            }
        }
    }
}
