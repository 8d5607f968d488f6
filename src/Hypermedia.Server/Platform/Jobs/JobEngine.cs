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
        services.AddHangfireServer((provider, server) =>
        {
            var options = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
            server.WorkerCount = options.Workers;
            server.SchedulePollingInterval = TimeSpan.FromSeconds(options.SchedulePollingSeconds);
        });
    }

    public void MapRoutes(AreaRoutes routes)
    {
    }

    private static JobStorage CreateStorage(IServiceProvider provider)
    {
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
        };
        var connectionString = provider.GetRequiredService<DatabaseConnection>().ConnectionString;
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
    }
}
