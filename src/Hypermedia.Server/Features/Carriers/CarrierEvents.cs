using System.Collections.Frozen;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.OptOuts;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Phones;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hypermedia.Server.Features.Carriers;

/// <summary>
/// What carriers report, applied the same way whichever carrier reports it: delivery states of sent
/// messages and texts people send to the accounts' numbers (with their opt-out keywords).
/// </summary>
public sealed class CarrierEvents(HypermediaDbContext db, TimeProvider clock)
{
    /// <summary>Texts that opt the sender out when they are the whole body (trimmed, any case).</summary>
    public static readonly FrozenSet<string> OptOutKeywords =
        FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");

    /// <summary>Texts that opt the sender back in.</summary>
    public static readonly FrozenSet<string> OptInKeywords =
        FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "START", "UNSTOP", "YES");

    /// <summary>The states a carrier's report may move a message from, by the state reported.</summary>
    /// <remarks>
    /// Reports arrive late, twice or out of order, so a late "sent" never undoes "delivered" and nothing
    /// leaves delivered or failed. Failed_transient and unknown stay open to the carrier's word: a send that
    /// timed out may still have been taken, and its later "delivered" is the truth.
    /// </remarks>
    private static readonly FrozenDictionary<string, string[]> ReportableFrom = new Dictionary<string, string[]>
    {
        [DeliveryStates.Dispatched] = [DeliveryStates.Queued, DeliveryStates.FailedTransient, DeliveryStates.Unknown],
        [DeliveryStates.Delivered] = [DeliveryStates.Queued, DeliveryStates.Dispatched, DeliveryStates.FailedTransient, DeliveryStates.Unknown],
        [DeliveryStates.Failed] = [DeliveryStates.Queued, DeliveryStates.Dispatched, DeliveryStates.FailedTransient, DeliveryStates.Unknown],
        [DeliveryStates.FailedTransient] = [DeliveryStates.Queued, DeliveryStates.Dispatched, DeliveryStates.Unknown],
        [DeliveryStates.Unknown] = [DeliveryStates.Queued, DeliveryStates.Dispatched],
    }.ToFrozenDictionary();

    /// <summary>
    /// Records a carrier's report on a message it sent, found by our slug (carriers echo it back) or by
    /// the carrier's id, when <see cref="ReportableFrom"/> allows it. False when no such message was sent
    /// through this carrier.
    /// </summary>
    public async Task<bool> ApplyStatusAsync(string carrier, string? messageSlug, string? carrierMessageId, string state, string? reason, CancellationToken cancellationToken)
    {
        if (!ReportableFrom.TryGetValue(state, out var earlier))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "not a state a carrier reports");
        }

        var messages = db.Messages.Where(m => m.Carrier == carrier && m.Direction == Message.Outgoing);
        messages = messageSlug is not null
            ? messages.Where(m => m.Slug == messageSlug)
            : messages.Where(m => m.CarrierMessageId == carrierMessageId);
        var now = clock.GetUtcNow();
        var updated = await messages.Where(m => earlier.Contains(m.DeliveryState)).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.DeliveryState, state)
            .SetProperty(m => m.FailureReason, m => reason ?? m.FailureReason)
            .SetProperty(m => m.CarrierMessageId, m => m.CarrierMessageId ?? carrierMessageId)
            .SetProperty(m => m.LatestEventAt, now), cancellationToken);
        return updated > 0 || await messages.AnyAsync(cancellationToken);
    }

    /// <summary>
    /// Records one state for many messages of this carrier (found by slug; <paramref name="carrierMessageIds"/>
    /// in step with the slugs) in one statement, with the same rule as <see cref="ApplyStatusAsync"/>.
    /// </summary>
    public async Task<int> ApplyStatusesAsync(
        string carrier, string[] messageSlugs, string[] carrierMessageIds, string state, string? reason, CancellationToken cancellationToken)
    {
        if (!ReportableFrom.TryGetValue(state, out var earlier))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "not a state a carrier reports");
        }

        var now = clock.GetUtcNow();
        return await db.Database.ExecuteSqlAsync($"""
            UPDATE messages AS m SET
                delivery_state = {state},
                failure_reason = COALESCE({reason}, m.failure_reason),
                carrier_message_id = COALESCE(m.carrier_message_id, v.carrier_message_id),
                latest_event_at = {now}
            FROM unnest({messageSlugs}::text[], {carrierMessageIds}::text[]) AS v(slug, carrier_message_id)
            WHERE m.slug = v.slug AND m.carrier = {carrier} AND m.direction = 'out' AND m.delivery_state = ANY({earlier}::text[])
            """, cancellationToken);
    }

    /// <summary>
    /// Records a text sent to an account's number: its conversation (created, or reopened when closed,
    /// and unread again), the message, and an opt-out or opt-in when the whole body is a keyword.
    /// A WhatsApp message goes to the account whose WhatsApp number it was sent to, and keeps its channel
    /// in the one conversation with that number, beside the texts. A repeated report (same carrier id)
    /// returns the message recorded the first time.
    /// </summary>
    public async Task<Message> ReceiveAsync(InboundText text, CancellationToken cancellationToken)
    {
        if (!MessageChannels.All.Contains(text.Channel))
        {
            throw new ArgumentOutOfRangeException(nameof(text), text.Channel, "not a message channel");
        }

        var validator = new Validator();
        if (!PhoneNumber.TryParse(text.From, out var from, out var fromError))
        {
            validator.Add("from", fromError);
        }

        if (!PhoneNumber.TryParse(text.To, out var to, out var toError))
        {
            validator.Add("to", toError);
        }

        validator.Text("body", text.Body, MessageRules.MaxBodyLength, required: false);
        validator.ThrowIfInvalid();

        var accountId = text.Channel == MessageChannels.WhatsApp
            ? await db.Accounts.Where(a => a.WhatsAppPhoneNumber == to!.E164).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw ApiException.Invalid("to", $"{to!.E164} is not the WhatsApp number of any account.")
            : await db.Accounts.Where(a => a.PhoneNumbers.Contains(to!.E164)).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw ApiException.Invalid("to", $"{to!.E164} is not the number of any account.");

        if (text.CarrierMessageId is not null
            && await db.Messages.FirstOrDefaultAsync(m => m.Carrier == text.Carrier && m.CarrierMessageId == text.CarrierMessageId, cancellationToken) is { } repeated)
        {
            return repeated;
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversation = await ConversationLedger.RecordMessageAsync(db, accountId, from!.E164, to!.E164, now, inbound: true, cancellationToken);
        var message = new Message
        {
            Slug = Slugs.New(),
            AccountId = accountId,
            ConversationId = conversation.Id,
            PhoneNumber = from.E164,
            AccountPhoneNumber = to.E164,
            Direction = Message.Incoming,
            Body = text.Body,
            DeliveryState = DeliveryStates.Received,
            Channel = text.Channel,
            Source = text.Carrier,
            Carrier = text.Carrier,
            CarrierMessageId = text.CarrierMessageId,
            TimelinePosition = now,
            LatestEventAt = now,
            CreatedAt = now,
        };
        db.Messages.Add(message);
        await ApplyKeywordAsync(accountId, from.E164, text.Body.Trim(), now, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (text.CarrierMessageId is not null && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The same report, delivered twice at the same moment: the other one recorded it.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await db.Messages.SingleAsync(m => m.Carrier == text.Carrier && m.CarrierMessageId == text.CarrierMessageId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return message;
    }

    private async Task ApplyKeywordAsync(long accountId, string number, string body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var optOut = OptOutKeywords.Contains(body);
        if (!optOut && !OptInKeywords.Contains(body))
        {
            return;
        }

        await Consent.LockAsync(db, accountId, number, cancellationToken);
        if (optOut)
        {
            await Consent.OptOutAsync(db, accountId, number, Consent.ViaKeyword, userId: null, now, cancellationToken);
        }
        else
        {
            await Consent.OptInAsync(db, accountId, number, Consent.ViaKeyword, userId: null, now, cancellationToken);
        }
    }
}
