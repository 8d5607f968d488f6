using System.Text.Json;
using Hangfire;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Carriers;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.OptOuts;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Phones;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Messages;

/// <summary>A send that passed every rule: who sends, from which account and number, to whom, what.</summary>
public sealed record ValidSend(Account Account, string From, PhoneNumber To, string Body, long SenderId, string SenderSlug);

/// <summary>
/// Accepting one outgoing message: the rules every send obeys, then the message and its conversation
/// written in one transaction, then a dispatch job. The answer never waits on the carrier.
/// </summary>
public sealed class MessageSending(HypermediaDbContext db, CarrierDirectory carriers, IBackgroundJobClient jobs, TimeProvider clock)
{
    /// <summary>The one recipient <paramref name="to"/> names (a string or an array of one); adds to <paramref name="validator"/> otherwise.</summary>
    public static PhoneNumber? Recipient(Validator validator, JsonElement? to)
    {
        JsonElement? single = to switch
        {
            null or { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } => to,
            { ValueKind: JsonValueKind.Array } array when array.GetArrayLength() == 1 => array.EnumerateArray().First(),
            _ => to,
        };
        if (single is null)
        {
            validator.Add("to", "is required");
            return null;
        }

        if (single is { ValueKind: JsonValueKind.Array })
        {
            validator.Add("to", "must name exactly one recipient here; sending to several recipients at once is not available yet");
            return null;
        }

        if (single is not { ValueKind: JsonValueKind.String } text)
        {
            validator.Add("to", "must be a phone number or an array holding one");
            return null;
        }

        if (!PhoneNumber.TryParse(text.GetString(), out var number, out var error))
        {
            validator.Add("to", error);
            return null;
        }

        if (!number.IsValid)
        {
            validator.Add("to", $"{number.E164} is not a valid phone number for its region");
            return null;
        }

        return number;
    }

    /// <summary>The account's number to send from: <paramref name="from"/> when it is one of them, else the first.</summary>
    public static string? SendingNumber(Validator validator, Account account, string? from)
    {
        if (from is null)
        {
            if (account.PhoneNumbers.Count == 0)
            {
                validator.Add("from", "the account has no phone number to send from");
            }

            return account.PhoneNumbers.FirstOrDefault();
        }

        if (!PhoneNumber.TryParse(from, out var number, out var error))
        {
            validator.Add("from", error);
            return null;
        }

        if (!account.PhoneNumbers.Contains(number.E164))
        {
            validator.Add("from", $"{number.E164} is not a number of this account");
            return null;
        }

        return number.E164;
    }

    /// <summary>Checks the rules that need the database (restriction, consent, blocking) and returns the send.</summary>
    public async Task<ValidSend> ValidateAsync(Validator validator, Account account, string? from, PhoneNumber? to, string? body, (long Id, string Slug) sender, CancellationToken cancellationToken)
    {
        if (account.MessagingRestricted)
        {
            validator.Add("account", "is restricted from sending messages (messagingRestricted: not 10DLC registered)");
        }

        if (to is not null)
        {
            var standing = await StandingAsync(account.Id, to.E164, cancellationToken);
            if (standing.OptedOut)
            {
                validator.Add("to", $"{to.E164} has opted out of messages from this account");
            }
            else if (standing.Blocked)
            {
                validator.Add("to", $"{to.E164} is blocked in this account");
            }
        }

        validator.ThrowIfInvalid();
        return new ValidSend(account, from!, to!, body!, sender.Id, sender.Slug);
    }

    /// <summary>Writes the message (queued) and its conversation in one transaction, then enqueues its dispatch.</summary>
    public async Task<MessageView> AcceptAsync(ValidSend send, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversation = await ConversationLedger.RecordMessageAsync(db, send.Account.Id, send.To.E164, send.From, now, inbound: false, cancellationToken);
        var message = new Message
        {
            Slug = Slugs.New(),
            AccountId = send.Account.Id,
            ConversationId = conversation.Id,
            PhoneNumber = send.To.E164,
            AccountPhoneNumber = send.From,
            Direction = Message.Outgoing,
            Body = send.Body,
            DeliveryState = DeliveryStates.Queued,
            Source = "api",
            SenderId = send.SenderId,
            Carrier = carriers.Default.Name,
            TimelinePosition = now,
            LatestEventAt = now,
            CreatedAt = now,
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // After the commit: a job must never find its message missing. Should the process die between the
        // two, the queued-message sweep enqueues it.
        MessageDispatch.Enqueue(jobs, message.Id);
        return new MessageView(message, conversation.Slug, send.SenderSlug);
    }

    /// <summary>Whether the number opted out of the account, or is blocked there (its conversation or a contact having it), in one round trip.</summary>
    private Task<RecipientStanding> StandingAsync(long accountId, string number, CancellationToken cancellationToken) =>
        db.Accounts.Where(a => a.Id == accountId).Select(a => new RecipientStanding(
                db.Set<OptOut>().Any(o => o.AccountId == accountId && o.PhoneNumber == number && o.Active),
                db.Set<Conversation>().Any(c => c.AccountId == accountId && c.PhoneNumber == number && c.State == Conversation.Blocked)
                    || db.Set<ContactPhone>().Any(p => p.AccountId == accountId && p.PhoneNumber == number && p.Contact!.BlockedAt != null)))
            .SingleAsync(cancellationToken);

    private sealed record RecipientStanding(bool OptedOut, bool Blocked);
}
