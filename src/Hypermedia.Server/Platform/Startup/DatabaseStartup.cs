using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.LocalPostgres;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Platform.Startup;

/// <summary>Which database the app uses, and getting it ready (migrations, demo data) before anything is served.</summary>
public static class DatabaseStartup
{
    public const string ConnectionStringName = "Hypermedia";

    /// <summary>
    /// The configured connection string, or, when there is none, a private PostgreSQL cluster started
    /// from the machine's server binaries so that <c>dotnet run</c> works on a fresh machine. Outside
    /// Development the server uses the private cluster only when <c>LocalPostgres:Enabled</c> asks for it: a
    /// production server that lost its connection string must stop, not start an empty database.
    /// Commands (<c>migrate</c>, <c>tokens create</c>, …) are run by an operator on this machine and never
    /// seed, so they use the private cluster in any environment.
    /// </summary>
    public static async Task<(string ConnectionString, LocalPostgresCluster? Cluster)> ResolveAsync(
        IConfiguration configuration, IHostEnvironment environment, bool isCommand)
    {
        if (configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } configured)
        {
            return (configured, null);
        }

        if (!(configuration.GetValue<bool?>("LocalPostgres:Enabled") ?? (environment.IsDevelopment() || isCommand)))
        {
            throw new StartupException(
                $"No database is configured for the {environment.EnvironmentName} environment. Set ConnectionStrings__{ConnectionStringName} " +
                "to a PostgreSQL connection string, or set LocalPostgres__Enabled=true to start a private cluster from this machine's PostgreSQL binaries.");
        }

        var options = configuration.GetSection("LocalPostgres").Get<LocalPostgresOptions>() ?? new LocalPostgresOptions();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var cluster = await LocalPostgresCluster.StartAsync(options, loggerFactory.CreateLogger("LocalPostgres"));
        return (cluster.ConnectionString, cluster);
    }

    /// <summary>
    /// Applies migrations when configured to (default: with the private cluster or in Development;
    /// otherwise run the <c>migrate</c> command), then seeds the demo account on an empty database:
    /// by default in Development only, since the demo admin is staff and its token is printed.
    /// </summary>
    public static async Task PrepareAsync(WebApplication app, bool usingPrivateCluster, bool seedDemo)
    {
        var configuration = app.Configuration;
        var migrate = configuration.GetValue<bool?>("Database:MigrateOnStart") ?? (usingPrivateCluster || app.Environment.IsDevelopment());
        await using var scope = app.Services.CreateAsyncScope();
        if (migrate)
        {
            await scope.ServiceProvider.GetRequiredService<HypermediaDbContext>().Database.MigrateAsync();
        }

        if (seedDemo && (configuration.GetValue<bool?>("Database:SeedDemo") ?? app.Environment.IsDevelopment())
            && await scope.ServiceProvider.GetRequiredService<DemoSeed>().SeedIfEmptyAsync() is { } token)
        {
            Console.WriteLine($"Demo API token: {token}");
        }
    }
}

/// <summary>The server cannot start as configured; the message says what to set.</summary>
public sealed class StartupException(string message) : Exception(message);
