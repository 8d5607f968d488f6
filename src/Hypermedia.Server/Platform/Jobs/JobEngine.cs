using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
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
public sealed class JobEngine : IApiArea
{
    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section);
        // Before AddHangfire, which only adds the global provider when none is registered.
        services.AddSingleton<IJobFilterProvider, JobFilters>();
        services.AddHangfire((provider, configuration) =>
        {
            var options = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
            configuration
                .UseLogProvider(new HostLogProvider(provider.GetRequiredService<ILoggerFactory>()))
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (options.Storage == JobStorageKind.InMemory)
            {
                configuration.UseInMemoryStorage();
            }
            else
            {
                configuration.UsePostgreSqlStorage(
                    connection => connection.UseNpgsqlConnection(provider.GetRequiredService<DatabaseConnection>().ConnectionString),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = JobsOptions.Schema,
                        PrepareSchemaIfNecessary = true,
                        UseSlidingInvisibilityTimeout = true,
                        InvisibilityTimeout = TimeSpan.FromSeconds(options.InvisibilityTimeoutSeconds),
                    });
            }

        });
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
}
