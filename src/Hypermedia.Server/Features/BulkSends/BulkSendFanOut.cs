using Hangfire;
using Hangfire.Server;
using Hypermedia.Server.Features.Carriers;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.WhatsApp;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Features.BulkSends;

/// <summary>
/// The job that fans a bulk send out. Several run at once, on any server sharing the database; each
/// claims chunks of pending recipients (<c>FOR UPDATE SKIP LOCKED</c>, so no two runs take the same
/// recipient), writes their messages and conversations in a few statements, hands the chunk to the
/// carrier, and goes on until nothing is pending.
/// </summary>
/// <remarks>
/// Hangfire runs a job at least once, so a run decides from the tables what is left: a recipient is
/// pending or it is not, a message is unique per bulk send and number (the database's constraint, the
/// last word against a second message), and the dispatch's locks and <c>dispatch_started_at</c> mean a
/// message is handed to the carrier once, or ends unknown when the run calling the carrier died. Each run
/// ends by dispatching any of the send's messages still queued that no live run holds (a dead run's), and
/// the last to finish marks the send completed.
/// </remarks>
public sealed class BulkSendFanOut(
    HypermediaDbContext db, MessageDispatch dispatch, BulkSendJobs jobs, CarrierDirectory carriers, BodyPersonalization personalization,
    WhatsAppTemplateSends templates, Iris iris,
    TimeProvider clock, IOptions<BulkSendOptions> options, ILogger<BulkSendFanOut> log)
{
    /// <summary>This process, as recorded on the recipients it handled.</summary>
    public static readonly string Worker = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Starts a scheduled bulk send at its time; nothing when it was cancelled meanwhile.</summary>
    public async Task StartAsync(long bulkSendId)
    {
        await JobTiming.UntilAsync(await db.BulkSends.Where(b => b.Id == bulkSendId).Select(b => b.ScheduledAt).SingleOrDefaultAsync(), clock);
        var now = clock.GetUtcNow();
        var started = await db.BulkSends.Where(b => b.Id == bulkSendId && b.State == BulkSendStates.Scheduled)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.State, BulkSendStates.Queued).SetProperty(b => b.LatestEventAt, now));
        if (started == 1)
        {
            var total = await db.BulkSends.Where(b => b.Id == bulkSendId).Select(b => b.TotalCount).SingleAsync();
            await jobs.EnqueueAsync(bulkSendId, total, CancellationToken.None);
        }
    }

    /// <param name="helpers">How many more runs the send gets: the first run, which starts the send, enqueues them.</param>
    /// <param name="context">Given by Hangfire (enqueue with null): the send's progress is shown on the run's job page.</param>
    [JobDisplayName("Bulk send #{0}: fan out")]
    public async Task RunAsync(long bulkSendId, int helpers, PerformContext? context)
    {
        var slug = await db.BulkSends.Where(b => b.Id == bulkSendId).Select(b => b.Slug).SingleOrDefaultAsync();
        var resource = slug is null ? null : iris.For(BulkSendsApi.BulkSendRoute, new { id = slug });
        var now = clock.GetUtcNow();
        var started = await db.BulkSends.Where(b => b.Id == bulkSendId && b.State == BulkSendStates.Queued).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.State, BulkSendStates.Sending)
            .SetProperty(b => b.StartedAt, b => b.StartedAt ?? now)
            .SetProperty(b => b.LatestEventAt, now));
        if (started == 1 && helpers > 0)
        {
            // Only the run that started the send: a retried first run does not enqueue them twice.
            await jobs.EnqueueHelpersAsync(bulkSendId, helpers, CancellationToken.None);
        }

        // After the helpers are enqueued, so they start as early as before: each waits here for the first
        // writer's rows (or writes them itself), and no run claims a recipient before the rows exist.
        await BulkSendRecipientRows.WriteAsync(db, bulkSendId, CancellationToken.None);

        while (await FanOutChunkAsync(bulkSendId) is { } chunk)
        {
            // Processed means written (or skipped): shown before the chunk's carrier calls, which take the longest.
            new JobProgress(chunk.Processed, chunk.Total, "recipients", resource).ReportTo(context);
            await dispatch.DispatchManyAsync(chunk.MessageIds);
        }

        await DispatchLeftoversAsync(bulkSendId);
        await CompleteAsync(bulkSendId);
    }

    /// <summary>What one chunk did: its messages, and the send's processed and total counts after it.</summary>
    private sealed record Chunk(long[] MessageIds, int Processed, int Total);

    /// <summary>
    /// One transaction: the send (a key-share lock, so a cancel's <c>FOR UPDATE</c> waits for the chunk and
    /// then stops the rest), a chunk of pending recipients, their conversations and messages, their new
    /// states and the send's counts. Null when the send is no longer running or nothing is left to claim.
    /// </summary>
    /// <remarks>
    /// Key share, not share: every chunk ends by updating the send's counts, and an update does not
    /// conflict with another run's key-share lock (it waits only for an earlier chunk's update to commit),
    /// where two runs each holding a share lock and each wanting to update would deadlock.
    /// </remarks>
    private async Task<Chunk?> FanOutChunkAsync(long bulkSendId)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var send = await db.Database.SqlQuery<RunningSend>($"""
            SELECT b.account_id AS account_id, b.sender_id AS sender_id, b.account_phone_number AS "From", b.body AS "Body",
                   b.scheduled_at AS scheduled_at, b.attachment_id AS attachment_id, a.messaging_restricted AS "Restricted",
                   b.channel AS channel, b.whats_app_template_id AS whats_app_template_id, b.template_values::text AS template_values,
                   EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
                           WHERE m.account_id = b.account_id AND m.user_id = b.sender_id AND u.discarded_at IS NULL) AS sender_is_member
            FROM bulk_sends b JOIN accounts a ON a.id = b.account_id
            WHERE b.id = {bulkSendId} AND b.state = 'sending'
            FOR KEY SHARE OF b
            """).AsAsyncEnumerable().SingleOrDefaultAsync();
        if (send is null)
        {
            return null;
        }

        var claimed = await db.Database.SqlQuery<ClaimedRecipient>($"""
            SELECT id AS "Id", phone_number AS phone_number FROM bulk_send_recipients
            WHERE bulk_send_id = {bulkSendId} AND state = 'pending'
            ORDER BY position LIMIT {options.Value.ChunkSize}
            FOR UPDATE SKIP LOCKED
            """).AsAsyncEnumerable().ToListAsync();
        if (claimed.Count == 0)
        {
            return null;
        }

        var numbers = claimed.Select(c => c.PhoneNumber).ToArray();
        var skipped = MessageSending.SendingStopped(send.Restricted, send.SenderIsMember) is { } stopped
            ? numbers.ToDictionary(n => n, _ => stopped, StringComparer.Ordinal)
            : (await MessageSending.UnreachableAsync(db, send.AccountId, numbers, CancellationToken.None))
                .ToDictionary(u => u.Key, u => $"{u.Key} {u.Value}", StringComparer.Ordinal);
        var texts = await TextsAsync(send, [.. numbers.Where(n => !skipped.ContainsKey(n))], now);
        foreach (var (number, text) in texts.Where(t => t.Value.Skip is not null))
        {
            skipped[number] = text.Skip!;
        }

        var messages = await CreateMessagesAsync(bulkSendId, send, [.. texts.Where(t => t.Value.Body is not null).Select(t => new Text(t.Key, t.Value.Body!, t.Value.Values))], now);

        var ids = claimed.Select(c => c.Id).ToArray();
        var states = numbers.Select(n => skipped.ContainsKey(n) ? RecipientStates.Skipped : RecipientStates.Sent).ToArray();
        var reasons = numbers.Select(n => skipped.GetValueOrDefault(n)).ToArray();
        var messageIds = numbers.Select(n => messages.TryGetValue(n, out var id) ? id : (long?)null).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE bulk_send_recipients AS r SET state = v.state, reason = v.reason, message_id = v.message_id, processed_by = {Worker}, processed_at = {now}
            FROM unnest({ids}::bigint[], {states}::text[], {reasons}::text[], {messageIds}::bigint[]) AS v(id, state, reason, message_id)
            WHERE r.id = v.id
            """);
        var counts = await db.Database.SqlQuery<SendCounts>($"""
            UPDATE bulk_sends SET sent_count = sent_count + {messages.Count}, skipped_count = skipped_count + {skipped.Count}, latest_event_at = {now}
            WHERE id = {bulkSendId}
            RETURNING sent_count + skipped_count + cancelled_count AS "Processed", total_count AS "Total"
            """).AsAsyncEnumerable().SingleAsync();
        await transaction.CommitAsync();
        return new Chunk([.. messages.Values], counts.Processed, counts.Total);
    }

    /// <summary>
    /// What each reachable recipient of the chunk is sent, or why they are skipped: the template filled with the
    /// send's values and theirs; on WhatsApp without a template, the body only to those whose 24-hour window is
    /// open; the body personalized for each.
    /// </summary>
    private async Task<Dictionary<string, (string? Body, string? Values, string? Skip)>> TextsAsync(RunningSend send, string[] numbers, DateTimeOffset now)
    {
        if (send.WhatsAppTemplateId is { } templateId)
        {
            return await templates.RenderManyAsync(templateId, send.AccountId, send.SenderId, send.TemplateValues!, numbers, CancellationToken.None);
        }

        var texts = new Dictionary<string, (string? Body, string? Values, string? Skip)>(StringComparer.Ordinal);
        if (send.Channel == MessageChannels.WhatsApp)
        {
            var open = await WhatsAppWindow.OpenAmongAsync(db, send.AccountId, numbers, now, CancellationToken.None);
            foreach (var number in numbers.Where(n => !open.Contains(n)))
            {
                texts[number] = (null, null, WhatsAppWindow.Closed(number));
            }
        }

        var bodies = await personalization.RenderManyAsync(send.Body, send.AccountId, send.SenderId, [.. numbers.Where(n => !texts.ContainsKey(n))], CancellationToken.None);
        foreach (var (number, rendered) in bodies)
        {
            texts[number] = (rendered.Body, null, rendered.Skip);
        }

        return texts;
    }

    /// <summary>
    /// The chunk's conversations (one statement) and messages, queued, each with its recipient's body
    /// (one statement), and the send's file on each (one statement): the message id of each number.
    /// </summary>
    private async Task<Dictionary<string, long>> CreateMessagesAsync(long bulkSendId, RunningSend send, Text[] texts, DateTimeOffset now)
    {
        if (texts.Length == 0)
        {
            return [];
        }

        var numbers = texts.Select(t => t.Number).ToArray();
        var bodies = texts.Select(t => t.Body).ToArray();
        var values = texts.Select(t => t.Values).ToArray();

        var conversations = await ConversationLedger.RecordOutgoingMessagesAsync(db, send.AccountId, numbers, send.From, now, CancellationToken.None);
        var slugs = numbers.Select(_ => Slugs.New()).ToArray();
        var conversationIds = numbers.Select(n => conversations[n]).ToArray();
        string[] flags = send.ScheduledAt is null ? [] : [MessageFlags.Scheduled];
        var carrier = carriers.Default.Name;
        var created = await db.Database.SqlQuery<CreatedMessage>($"""
            INSERT INTO messages (slug, account_id, conversation_id, phone_number, account_phone_number, direction, body, delivery_state,
                                  channel, whats_app_template_id, template_values, source, flags, sender_id, carrier, timeline_position, latest_event_at,
                                  created_at, bulk_send_id)
            SELECT u.slug, {send.AccountId}, u.conversation_id, u.phone_number, {send.From}, 'out', u.body, 'queued',
                   {send.Channel}, {send.WhatsAppTemplateId}::bigint, u.template_values::jsonb, 'api', {flags}::text[], {send.SenderId}, {carrier}, {now}, {now},
                   {now}, {bulkSendId}
            FROM unnest({slugs}::text[], {numbers}::text[], {conversationIds}::bigint[], {bodies}::text[], {values}::text[])
                 AS u(slug, phone_number, conversation_id, body, template_values)
            RETURNING id AS "Id", phone_number AS phone_number
            """).AsAsyncEnumerable().ToListAsync();
        if (send.AttachmentId is { } attachmentId)
        {
            var messageIds = created.Select(m => m.Id).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO message_attachments (message_id, attachment_id, position)
                SELECT m, {attachmentId}, 0 FROM unnest({messageIds}::bigint[]) AS m
                """);
        }

        return created.ToDictionary(m => m.PhoneNumber, m => m.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// The send's messages still queued: a dead run's (its chunk committed, its calls never made or never
    /// settled). The dispatch skips those a live run holds and ends those a dead run was calling unknown.
    /// </summary>
    private async Task DispatchLeftoversAsync(long bulkSendId)
    {
        var queued = await db.Messages.Where(m => m.BulkSendId == bulkSendId && m.DeliveryState == DeliveryStates.Queued)
            .OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
        foreach (var chunk in queued.Chunk(options.Value.ChunkSize))
        {
            await dispatch.DispatchManyAsync(chunk);
        }

        if (queued.Count > 0)
        {
            log.LogInformation("Bulk send {BulkSendId}: {Count} queued messages looked at after the fan-out", bulkSendId, queued.Count);
        }
    }

    /// <summary>Completed once nothing is pending and no message is still queued; whichever run gets there last flips it.</summary>
    private async Task CompleteAsync(long bulkSendId)
    {
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE bulk_sends SET state = 'completed', completed_at = {now}, latest_event_at = {now}
            WHERE id = {bulkSendId} AND state = 'sending'
              AND NOT EXISTS (SELECT 1 FROM bulk_send_recipients WHERE bulk_send_id = {bulkSendId} AND state = 'pending')
              AND NOT EXISTS (SELECT 1 FROM messages WHERE bulk_send_id = {bulkSendId} AND delivery_state = 'queued')
            """);
    }

    private sealed record RunningSend(
        long AccountId, long SenderId, string From, string Body, DateTimeOffset? ScheduledAt, long? AttachmentId, bool Restricted, bool SenderIsMember,
        string Channel, long? WhatsAppTemplateId, string? TemplateValues);

    /// <summary>One recipient's message: its body and, from a template, the value each variable took (jsonb).</summary>
    private sealed record Text(string Number, string Body, string? Values);

    private sealed record ClaimedRecipient(long Id, string PhoneNumber);

    private sealed record CreatedMessage(long Id, string PhoneNumber);

    private sealed record SendCounts(int Processed, int Total);
}
