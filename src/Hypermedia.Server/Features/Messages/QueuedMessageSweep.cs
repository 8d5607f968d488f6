using Hangfire;
using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// Finds messages still queued a while after they were accepted and enqueues their dispatch again (and
/// scheduled messages left unreleased well past their time): the
/// process may have died between committing a message and enqueuing its job, or a job may have been lost
/// with in-memory storage. A second job for a message whose first is merely late does no harm: the
/// dispatch's lock and state checks make it a no-op.
/// </summary>
public sealed class QueuedMessageSweep(HypermediaDbContext db, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string RecurringJobId = "messages:sweep-queued";

    /// <summary>How long a queued message waits for its own job before the sweep enqueues another.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    private const int Batch = 1000;

    public async Task<int> RunAsync()
    {
        var before = clock.GetUtcNow() - Grace;
        var stale = await db.Messages
            .Where(m => m.DeliveryState == DeliveryStates.Queued && m.LatestEventAt < before)
            .OrderBy(m => m.LatestEventAt).Select(m => m.Id).Take(Batch).ToListAsync();
        foreach (var id in stale)
        {
            MessageDispatch.Enqueue(jobs, id);
        }

        // Scheduled messages whose release job was lost (in-memory storage, a deleted job): released late, not never.
        var overdue = await db.Messages
            .Where(m => m.DeliveryState == DeliveryStates.Scheduled && m.ScheduledAt < before)
            .OrderBy(m => m.ScheduledAt).Select(m => m.Id).Take(Batch).ToListAsync();
        foreach (var id in overdue)
        {
            jobs.Enqueue<ScheduledMessages>(s => s.ReleaseAsync(id));
        }

        return stale.Count + overdue.Count;
    }
}

/// <summary>Registers the sweep as a recurring job (every minute) when the host starts.</summary>
public sealed class QueuedMessageSweepSchedule(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<QueuedMessageSweep>(QueuedMessageSweep.RecurringJobId, s => s.RunAsync(), Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
