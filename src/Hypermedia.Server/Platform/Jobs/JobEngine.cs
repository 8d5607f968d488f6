using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Platform.Jobs;

/// <summary>
/// Hangfire, registered like an area: PostgreSQL storage in the app's own database (schema
/// <c>hangfire</c>, installed at start), so several servers share the queue and a crashed server's
/// jobs are taken over; sliding invisibility; retries configured instead of the default ten.
/// Jobs live with their feature and take ids, never bodies or secrets.
/// </summary>
/// <remarks>
/// Storage, activator and filters are this host's own services, registered before <c>AddHangfire</c>
/// (which only adds Hangfire's process-wide ones when none is registered). Hangfire's globals hold the
/// last-configured host; a process with several hosts (the tests) would otherwise run one host's jobs
/// in another's, possibly disposed, container.
/// </remarks>
public sealed class JobEngine : IApiArea
{
    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section);
        services.AddSingleton<IJobFilterProvider, JobFilters>();
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton(CreateStorage);
        services.AddHangfire((provider, configuration) => configuration
            .UseLogProvider(new HostLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddTransient<IHostedService>(CreateServer);
    }

    public void MapRoutes(AreaRoutes routes)
    {
    }

    /// <summary>
    /// This process's job server, or nothing when <see cref="JobsOptions.RunServer"/> is off (a web-only
    /// process: it enqueues, other processes run the jobs). Built from this host's services.
    /// </summary>
    private static IHostedService CreateServer(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
        if (!options.RunServer)
        {
            return new NoJobServer();
        }

        var server = new BackgroundJobServerOptions
        {
            WorkerCount = options.Workers,
            SchedulePollingInterval = TimeSpan.FromSeconds(options.SchedulePollingSeconds),
            Activator = provider.GetRequiredService<JobActivator>(),
            FilterProvider = provider.GetRequiredService<IJobFilterProvider>(),
        };
        return new BackgroundJobServerHostedService(
            provider.GetRequiredService<JobStorage>(), server, [], provider.GetRequiredService<IHostApplicationLifetime>());
    }

    private static JobStorage CreateStorage(IServiceProvider provider)
    {
        // Serializer settings and the log provider are Hangfire globals, applied when this is first resolved:
        // before any job is written or read, by whichever service comes first.
        provider.GetRequiredService<IGlobalConfiguration>();
        var options = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
        if (options.Storage == JobStorageKind.InMemory)
        {
            return new InMemoryStorage();
        }

        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = JobsOptions.Schema,
            PrepareSchemaIfNecessary = true,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromSeconds(options.InvisibilityTimeoutSeconds),
            // LISTEN/NOTIFY: a job enqueued by another process (a web-only one) starts at once, not at the next poll.
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromSeconds(options.QueuePollSeconds),
        };
        var connectionString = provider.GetRequiredService<DatabaseConnection>().ConnectionString;
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
    }
}

/// <summary>Stands in for the job server in a process configured not to run one.</summary>
internal sealed class NoJobServer : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
