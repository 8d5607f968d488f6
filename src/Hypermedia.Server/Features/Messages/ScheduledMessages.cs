using Hangfire;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// Scheduled messages: a Hangfire job scheduled for the message's time releases it (scheduled → queued,
/// or failed when it may no longer be sent) and dispatches it; cancelling deletes the message and its job. Release and cancel are each one
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

    /// <summary>
    /// At its time, the message is checked again as a send would be (the recipient may have opted out or
    /// been blocked, the account restricted, the sender removed, WhatsApp disabled or the WhatsApp template
    /// it is sent from rejected or deleted since it was scheduled): when it may still
    /// go, it is queued and handed to the carrier in this run; otherwise it ends <c>failed</c> with the
    /// reason and nothing is sent. Nothing when it is no longer scheduled (cancelled meanwhile).
    /// </summary>
    public async Task ReleaseAsync(long messageId)
    {
        var due = await db.Database.SqlQuery<DueMessage>($"""
            SELECT m.account_id AS account_id, m.phone_number AS phone_number, m.scheduled_at AS scheduled_at, a.messaging_restricted AS "Restricted",
                   EXISTS (SELECT 1 FROM memberships s JOIN users u ON u.id = s.user_id
                           WHERE s.account_id = m.account_id AND s.user_id = m.sender_id AND u.discarded_at IS NULL) AS sender_is_member,
                   m.channel = 'whatsapp' AND NOT a.whats_app_enabled AS whats_app_disabled,
                   t.title AS template_title, t.status AS template_status, t.deleted_at AS template_deleted_at
            FROM messages m JOIN accounts a ON a.id = m.account_id LEFT JOIN whats_app_templates t ON t.id = m.whats_app_template_id
            WHERE m.id = {messageId} AND m.delivery_state = 'scheduled'
            """).AsAsyncEnumerable().SingleOrDefaultAsync();
        if (due is null)
        {
            return;
        }

        await JobTiming.UntilAsync(due.ScheduledAt, clock);

        var stopped = MessageSending.SendingStopped(due.Restricted, due.SenderIsMember)
            ?? (due.WhatsAppDisabled ? "WhatsApp is no longer enabled on the account" : null)
            ?? (due.TemplateTitle is { } title ? WhatsApp.WhatsAppTemplateSends.WhyNotSendable(title, due.TemplateStatus!, due.TemplateDeletedAt) : null)
            ?? ((await MessageSending.UnreachableAsync(db, due.AccountId, [due.PhoneNumber], CancellationToken.None)).TryGetValue(due.PhoneNumber, out var reason)
                ? $"{due.PhoneNumber} {reason}"
                : null);
        var now = clock.GetUtcNow();
        var released = await db.Messages.Where(m => m.Id == messageId && m.DeliveryState == DeliveryStates.Scheduled).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.DeliveryState, stopped is null ? DeliveryStates.Queued : DeliveryStates.Failed)
            .SetProperty(m => m.FailureReason, stopped is null ? null : "not sent: " + stopped)
            .SetProperty(m => m.LatestEventAt, now));
        if (released == 1 && stopped is null)
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

    private sealed record DueMessage(
        long AccountId, string PhoneNumber, DateTimeOffset? ScheduledAt, bool Restricted, bool SenderIsMember,
        bool WhatsAppDisabled, string? TemplateTitle, string? TemplateStatus, DateTimeOffset? TemplateDeletedAt);
}
