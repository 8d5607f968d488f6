using System.Collections.Frozen;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.OptOuts;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Phones;
using Microsoft.EntityFrameworkCore;

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

    private static readonly FrozenDictionary<string, int> Progress = new Dictionary<string, int>
    {
        [DeliveryStates.Queued] = 0,
        [DeliveryStates.Dispatched] = 1,
        [DeliveryStates.Delivered] = 2,
        [DeliveryStates.Failed] = 2,
        [DeliveryStates.FailedTransient] = 2,
        [DeliveryStates.Unknown] = 2,
    }.ToFrozenDictionary();

    /// <summary>
    /// Records a carrier's report on a message it sent, found by our slug (carriers echo it back) or by
    /// the carrier's id. Reports arrive late, twice or out of order: a state only ever moves forward
    /// (queued, dispatched, then a final one), so a late "sent" never undoes "delivered". False when no
    /// such message was sent through this carrier.
    /// </summary>
    public async Task<bool> ApplyStatusAsync(string carrier, string? messageSlug, string? carrierMessageId, string state, string? reason, CancellationToken cancellationToken)
    {
        if (!Progress.TryGetValue(state, out var rank))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "not a state a carrier reports");
        }

        var messages = db.Messages.Where(m => m.Carrier == carrier && m.Direction == Message.Outgoing);
        messages = messageSlug is not null
            ? messages.Where(m => m.Slug == messageSlug)
            : messages.Where(m => m.CarrierMessageId == carrierMessageId);
        var earlier = Progress.Where(p => p.Value < rank).Select(p => p.Key).ToArray();
        var now = clock.GetUtcNow();
        var updated = await messages.Where(m => earlier.Contains(m.DeliveryState)).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.DeliveryState, state)
            .SetProperty(m => m.FailureReason, m => reason ?? m.FailureReason)
            .SetProperty(m => m.CarrierMessageId, m => m.CarrierMessageId ?? carrierMessageId)
            .SetProperty(m => m.LatestEventAt, now), cancellationToken);
        return updated > 0 || await messages.AnyAsync(cancellationToken);
    }

    /// <summary>
    /// Records a text sent to an account's number: its conversation (created, or reopened when closed,
    /// and unread again), the message, and an opt-out or opt-in when the whole body is a keyword.
    /// A repeated report (same carrier id) returns the message recorded the first time.
    /// </summary>
    public async Task<Message> ReceiveAsync(InboundText text, CancellationToken cancellationToken)
    {
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

        var accountId = await db.Accounts.Where(a => a.PhoneNumbers.Contains(to!.E164)).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken)
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
        await db.SaveChangesAsync(cancellationToken);
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
