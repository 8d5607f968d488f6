using Hangfire;
using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.BulkSends;

/// <summary>
/// Finds bulk sends that stopped moving and starts them again: one left queued or sending with no change
/// for a while (its process died before its jobs were enqueued, or every job of it failed), or a
/// scheduled one whose start job was lost. A job for a send that is merely slow does no harm: it claims
/// only what is pending.
/// </summary>
public sealed class BulkSendSweep(HypermediaDbContext db, BulkSendJobs jobs, IBackgroundJobClient client, TimeProvider clock)
{
    public const string RecurringJobId = "bulk-sends:sweep";

    /// <summary>How long a send may go without a change before the sweep adds a job.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    public async Task<int> RunAsync()
    {
        var now = clock.GetUtcNow();
        var before = now - Grace;
        var stalled = await db.BulkSends.Where(b => (b.State == BulkSendStates.Queued || b.State == BulkSendStates.Sending) && b.LatestEventAt < before)
            .OrderBy(b => b.LatestEventAt).Select(b => b.Id).Take(100).ToListAsync();
        foreach (var id in stalled)
        {
            await db.BulkSends.Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.LatestEventAt, now));
            await jobs.EnqueueOneAsync(id, CancellationToken.None);
        }

        var due = await db.BulkSends.Where(b => b.State == BulkSendStates.Scheduled && b.ScheduledAt < before)
            .OrderBy(b => b.ScheduledAt).Select(b => b.Id).Take(100).ToListAsync();
        foreach (var id in due)
        {
            client.Enqueue<BulkSendFanOut>(f => f.StartAsync(id));
        }

        return stalled.Count + due.Count;
    }
}

/// <summary>Registers the sweep as a recurring job (every minute) when the host starts.</summary>
public sealed class BulkSendSweepSchedule(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<BulkSendSweep>(BulkSendSweep.RecurringJobId, s => s.RunAsync(), Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
