using System.Text.Json;
using Hangfire;
using Hypermedia.Server.Features.Carriers;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Json;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// The job that hands one queued message to its carrier, exactly once.
/// </summary>
/// <remarks>
/// Hangfire runs a job at least once (again after a crash, or when the sweep enqueues a second job), so
/// the run decides from the database what is left to do:
/// <list type="bullet">
/// <item>a session advisory lock on the message, held for the whole run, means one run at a time; a
/// second run gives up at once. PostgreSQL drops the lock when the holder's connection dies;</item>
/// <item><see cref="Message.DispatchStartedAt"/> is committed before the carrier is called. A run that
/// finds it set on a message still queued (and the lock free) knows an earlier run died during the call:
/// the carrier may or may not have the text, so the message ends <c>unknown</c> (the user may retry)
/// rather than being sent twice.</item>
/// </list>
/// </remarks>
public sealed class MessageDispatch(HypermediaDbContext db, CarrierDirectory carriers, Iris iris, TimeProvider clock, ILogger<MessageDispatch> log)
{
    public const string DiedDuringCall = "the server stopped while handing it to the carrier; it may or may not have been sent";

    public static void Enqueue(IBackgroundJobClient jobs, long messageId) =>
        jobs.Enqueue<MessageDispatch>(d => d.RunAsync(messageId));

    public Task RunAsync(long messageId) => DispatchManyAsync([messageId]);

    /// <summary>
    /// Dispatches the queued messages among <paramref name="messageIds"/> that no other run holds, a few
    /// statements for all of them (a bulk send's chunk, or one message): lock, settle those an earlier run
    /// died with, claim the rest, one carrier call each, settle the outcomes. Returns how many were handed on.
    /// </summary>
    public async Task<int> DispatchManyAsync(IReadOnlyCollection<long> messageIds)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            var ids = messageIds.ToArray();
            var locked = await db.Database.SqlQuery<long>(
                    $"SELECT id AS \"Value\" FROM unnest({ids}) AS u(id) WHERE pg_try_advisory_lock(hashtextextended('message_dispatch:' || id, 0))")
                .AsAsyncEnumerable().ToArrayAsync();
            if (locked.Length < ids.Length)
            {
                log.LogInformation("{Count} of {Total} messages are being dispatched by another run", ids.Length - locked.Length, ids.Length);
            }

            try
            {
                return locked.Length == 0 ? 0 : await DispatchLockedAsync(locked);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync(
                    $"SELECT pg_advisory_unlock(hashtextextended('message_dispatch:' || id, 0)) FROM unnest({locked}) AS u(id)");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<int> DispatchLockedAsync(long[] locked)
    {
        var now = clock.GetUtcNow();

        // Started but still queued, and nobody holds it: the run that started it died during the call.
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET delivery_state = 'unknown', failure_reason = {DiedDuringCall}, latest_event_at = {now}
            WHERE id = ANY({locked}) AND delivery_state = 'queued' AND dispatch_started_at IS NOT NULL
            """);

        // Committed before any call: from here on a crash leaves these unknown, never sent twice.
        var claimed = await db.Database.SqlQuery<ClaimedText>($"""
            UPDATE messages SET dispatch_started_at = {now}
            WHERE id = ANY({locked}) AND delivery_state = 'queued' AND dispatch_started_at IS NULL
            RETURNING id AS "Id", slug AS "Slug", account_phone_number AS "From", phone_number AS "To", body AS "Body", carrier AS "Carrier",
                      channel AS "Channel", template_values::text AS template_values,
                      (SELECT t.content_sid FROM whats_app_templates t WHERE t.id = messages.whats_app_template_id) AS content_sid,
                      ARRAY(SELECT a.key FROM message_attachments ma JOIN attachments a ON a.id = ma.attachment_id
                            WHERE ma.message_id = messages.id ORDER BY ma.position) AS media_keys
            """).AsAsyncEnumerable().ToListAsync();

        foreach (var byCarrier in claimed.GroupBy(c => c.Carrier))
        {
            var texts = byCarrier.ToList();

            // No cancellation: once the carrier may have the texts, a shutdown must let the calls finish.
            var results = await carriers.Get(byCarrier.Key).SendManyAsync(
                [.. texts.Select(Outbound)], CancellationToken.None);
            await SettleAsync(texts, results);
        }

        return claimed.Count;
    }

    /// <summary>
    /// Records the outcome of each call, unless a status callback overtook it (the carrier reported on the
    /// message before this run got here): then only the carrier's id is kept.
    /// </summary>
    private async Task SettleAsync(IReadOnlyList<ClaimedText> texts, IReadOnlyList<CarrierSendResult> results)
    {
        var now = clock.GetUtcNow();
        var ids = texts.Select(t => t.Id).ToArray();
        var carrierIds = results.Select(r => r.CarrierMessageId).ToArray();
        var states = results.Select(r => r.Outcome switch
        {
            CarrierOutcome.Accepted => DeliveryStates.Dispatched,
            CarrierOutcome.Failed => DeliveryStates.Failed,
            CarrierOutcome.Unknown => DeliveryStates.Unknown,
            _ => DeliveryStates.FailedTransient,
        }).ToArray();
        var reasons = results.Select(r => r.Outcome == CarrierOutcome.Accepted ? null : r.Reason).ToArray();
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].Outcome == CarrierOutcome.Unknown)
            {
                log.LogWarning("Carrier call for message {MessageId} ended without an answer: {Reason}", ids[i], results[i].Reason);
            }
        }

        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages AS m SET
                delivery_state = v.state, failure_reason = v.reason,
                carrier_message_id = COALESCE(v.carrier_message_id, m.carrier_message_id), latest_event_at = {now}
            FROM unnest({ids}::bigint[], {states}::text[], {reasons}::text[], {carrierIds}::text[]) AS v(id, state, reason, carrier_message_id)
            WHERE m.id = v.id AND m.delivery_state = 'queued'
            """);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages AS m SET carrier_message_id = v.carrier_message_id
            FROM unnest({ids}::bigint[], {carrierIds}::text[]) AS v(id, carrier_message_id)
            WHERE m.id = v.id AND m.carrier_message_id IS NULL AND v.carrier_message_id IS NOT NULL
            """);
    }

    private OutboundText Outbound(ClaimedText text) => new(text.Slug, text.From, text.To, text.Body, [.. text.MediaKeys.Select(MediaPath)])
    {
        Channel = text.Channel,
        Template = text.TemplateValues is { } values
            ? new OutboundTemplate(text.ContentSid, JsonSerializer.Deserialize<Dictionary<string, string>>(values, ApiJson.Response)!)
            : null,
    };

    /// <summary>Where the carrier fetches a file the message carries, relative to the server's public address.</summary>
    private string MediaPath(string key) => iris.For(Attachments.AttachmentsApi.MediaRoute, new { key });

    private sealed record ClaimedText(
        long Id, string Slug, string From, string To, string Body, string Carrier, string[] MediaKeys, string Channel, string? TemplateValues, string? ContentSid);
}
