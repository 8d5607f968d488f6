using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Storage.Monitoring;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Platform.Jobs;

/// <summary>The app with Hangfire on its own PostgreSQL database, as it runs outside tests; no retries, so a failure is final at once.</summary>
public sealed class PostgresJobsApiFactory : ApiFactory
{
    protected override string JobStorage => "PostgreSql";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Jobs:RetryAttempts", "0");
    }
}

/// <summary>A job the tests enqueue: records that it ran, or fails when asked to.</summary>
public sealed class ProbeJob
{
    public static readonly ConcurrentDictionary<Guid, int> Runs = new();

    public Task RunAsync(Guid id, bool fail)
    {
        Runs.AddOrUpdate(id, 1, (_, n) => n + 1);
        return fail ? throw new InvalidOperationException("probe failure " + id) : Task.CompletedTask;
    }
}

public sealed class JobEngineTests(PostgresJobsApiFactory api) : IClassFixture<PostgresJobsApiFactory>
{
    /// <summary>Polls the job's state until it is <paramref name="state"/>; a deadline guards against a job that never gets there.</summary>
    private async Task<JobDetailsDto> WaitForStateAsync(string jobId, string state)
    {
        var monitoring = api.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var details = monitoring.JobDetails(jobId);
            if (details?.History.FirstOrDefault()?.StateName == state)
            {
                return details;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"job {jobId} never became {state}; history (newest first): {string.Join(", ", details?.History.Select(h => h.StateName + "@" + h.CreatedAt.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)) ?? [])}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Hangfire_installs_its_schema_in_the_apps_database()
    {
        var tables = await api.WithDbAsync(db => db.Database
            .SqlQueryRaw<string>("select table_name as \"Value\" from information_schema.tables where table_schema = 'hangfire'")
            .ToListAsync());

        Assert.Contains("job", tables);
        Assert.Contains("jobqueue", tables);
        Assert.Contains("server", tables);
    }

    [Fact]
    public async Task An_enqueued_job_runs_once_on_the_apps_server_from_postgresql()
    {
        var id = Guid.NewGuid();
        var jobId = api.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(job => job.RunAsync(id, false));

        await WaitForStateAsync(jobId, "Succeeded");

        Assert.Equal(1, ProbeJob.Runs[id]);
        Assert.Equal(1L, await api.WithDbAsync(db => db.Database
            .SqlQueryRaw<long>("select count(*) as \"Value\" from hangfire.job where id = {0}", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture))
            .SingleAsync()));
    }

    [Fact]
    public async Task A_failing_job_gets_the_configured_retries_not_hangfires_ten_then_fails_with_its_exception()
    {
        var id = Guid.NewGuid();
        var jobId = api.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(job => job.RunAsync(id, true));

        // With Hangfire's default filter the job would be Scheduled for its first of ten retries.
        var details = await WaitForStateAsync(jobId, "Failed");

        Assert.Equal(1, ProbeJob.Runs[id]);
        Assert.DoesNotContain(details.History, h => h.StateName == "Scheduled");
        Assert.Contains("probe failure " + id, details.History[0].Data["ExceptionMessage"]);
    }
}
