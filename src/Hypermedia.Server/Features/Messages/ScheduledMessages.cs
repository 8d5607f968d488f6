using Hangfire;
using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// Scheduled messages: a Hangfire job scheduled for the message's time releases it (scheduled → queued)
/// and dispatches it; cancelling deletes the message and its job. Release and cancel are each one
/// conditional statement on the message's row, so of the two racing exactly one happens.
/// </summary>
public sealed class ScheduledMessages(HypermediaDbContext db, MessageDispatch dispatch, TimeProvider clock)
{
    /// <summary>Schedules the release and remembers the job on the message (so a cancel can delete it).</summary>
    public static async Task<string> ScheduleAsync(HypermediaDbContext db, IBackgroundJobClient jobs, long messageId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var jobId = jobs.Schedule<ScheduledMessages>(s => s.ReleaseAsync(messageId), at);
        await db.Messages.Where(m => m.Id == messageId).ExecuteUpdateAsync(s => s.SetProperty(m => m.ScheduledJobId, jobId), cancellationToken);
        return jobId;
    }

    /// <summary>Queues the message if it is still scheduled, and hands it to the carrier in this run.</summary>
    public async Task ReleaseAsync(long messageId)
    {
        var now = clock.GetUtcNow();
        var released = await db.Messages.Where(m => m.Id == messageId && m.DeliveryState == DeliveryStates.Scheduled)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveryState, DeliveryStates.Queued).SetProperty(m => m.LatestEventAt, now));
        if (released == 1)
        {
            await dispatch.DispatchManyAsync([messageId]);
        }
    }

    /// <summary>
    /// Deletes a message that is still scheduled, and takes it out of its conversation's count, in one
    /// transaction; false when it is no longer scheduled (it was released or cancelled first).
    /// </summary>
    public static async Task<bool> CancelAsync(HypermediaDbContext db, IBackgroundJobClient jobs, long messageId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.Database.SqlQuery<CancelledMessage>($"""
            DELETE FROM messages WHERE id = {messageId} AND delivery_state = 'scheduled'
            RETURNING conversation_id AS conversation_id, scheduled_job_id AS job_id
            """).AsAsyncEnumerable().SingleOrDefaultAsync(cancellationToken);
        if (deleted is null)
        {
            return false;
        }

        await db.Database.ExecuteSqlAsync(
            $"UPDATE conversations SET message_count = message_count - 1 WHERE id = {deleted.ConversationId}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (deleted.JobId is not null)
        {
            jobs.Delete(deleted.JobId);
        }

        return true;
    }

    private sealed record CancelledMessage(long ConversationId, string? JobId);
}
