using System.Text.Json;
using Hangfire;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Attachments;
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

/// <summary>One recipient of a send: its index in the request's <c>to</c> and its number.</summary>
public sealed record Recipient(int Position, PhoneNumber Number);

/// <summary>
/// The distinct recipients of a send, and whether the request named several (an array of two or more
/// entries, answered 202 with a bulk send even when they collapse to one number).
/// </summary>
public sealed record RecipientList(IReadOnlyList<Recipient> Numbers, bool Several)
{
    public PhoneNumber Single => Numbers[0].Number;
}

/// <summary>A send that passed every rule: who sends, from which account and number, to whom, what (and the attachment it carries).</summary>
public sealed record ValidSend(Account Account, string From, PhoneNumber To, string Body, long SenderId, string SenderSlug, long? AttachmentId = null)
{
    public string Channel { get; init; } = MessageChannels.Sms;

    /// <summary>The WhatsApp template it is sent from, and the value each of its variables took (jsonb); null otherwise.</summary>
    public (long Id, string Values)? Template { get; init; }
}

/// <summary>
/// Accepting one outgoing message: the rules every send obeys, then the message and its conversation
/// written in one transaction, then a dispatch job. The answer never waits on the carrier.
/// </summary>
public sealed class MessageSending(HypermediaDbContext db, CarrierDirectory carriers, IBackgroundJobClient jobs, TimeProvider clock)
{
    /// <summary>
    /// The recipients <paramref name="to"/> names: one (a number, or an array holding one) or several (an
    /// array of two up to <see cref="MessageRules.MaxRecipients"/>). Every entry is checked and each bad one
    /// named by its index (<c>to[3]</c>); numbers that normalize alike collapse to the first.
    /// </summary>
    public static RecipientList? Recipients(Validator validator, JsonElement? to)
    {
        switch (to)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                validator.Add("to", "is required");
                return null;
            case { ValueKind: JsonValueKind.String } single:
                return Number(validator, "to", single) is { } number ? new RecipientList([new Recipient(0, number)], Several: false) : null;
            case { ValueKind: JsonValueKind.Array } array:
                return Several(validator, array);
            default:
                validator.Add("to", "must be a phone number or an array of phone numbers");
                return null;
        }
    }

    private static RecipientList? Several(Validator validator, JsonElement array)
    {
        var count = array.GetArrayLength();
        if (count == 0)
        {
            validator.Add("to", "must name at least one recipient");
            return null;
        }

        if (count > MessageRules.MaxRecipients)
        {
            validator.Add("to", $"must name at most {MessageRules.MaxRecipients:N0} recipients; it names {count:N0}");
            return null;
        }

        var recipients = new List<Recipient>(count);
        var seen = new HashSet<string>(count, StringComparer.Ordinal);
        var position = 0;
        foreach (var entry in array.EnumerateArray())
        {
            if (Number(validator, count == 1 ? "to" : $"to[{position}]", entry) is { } number && seen.Add(number.E164))
            {
                recipients.Add(new Recipient(position, number));
            }

            position++;
        }

        return validator.IsValid ? new RecipientList(recipients, Several: count > 1) : null;
    }

    private static PhoneNumber? Number(Validator validator, string field, JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.String)
        {
            validator.Add(field, "must be a phone number (a string)");
            return null;
        }

        if (!PhoneNumber.TryParse(entry.GetString(), out var number, out var error))
        {
            validator.Add(field, error);
            return null;
        }

        if (!number.IsValid)
        {
            validator.Add(field, $"{number.E164} is not a valid phone number for its region");
            return null;
        }

        return number;
    }

    /// <summary>
    /// The account's number to send from: <paramref name="from"/> when it is one of them, else the first; on
    /// WhatsApp, the account's WhatsApp number (<see cref="WhatsApp.WhatsAppSettings.SendingNumber"/>).
    /// </summary>
    public static string? SendingNumber(Validator validator, Account account, string? from, string channel = MessageChannels.Sms)
    {
        if (channel == MessageChannels.WhatsApp)
        {
            return WhatsApp.WhatsAppSettings.SendingNumber(validator, account, from);
        }

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
        RequireUnrestricted(validator, account);
        if (to is not null && (await UnreachableAsync(db, account.Id, [to.E164], cancellationToken)).TryGetValue(to.E164, out var reason))
        {
            validator.Add("to", $"{to.E164} {reason}");
        }

        validator.ThrowIfInvalid();
        return new ValidSend(account, from!, to!, body!, sender.Id, sender.Slug);
    }

    /// <summary>An account restricted from messaging (not 10DLC registered) sends nothing, to one or to many.</summary>
    public static void RequireUnrestricted(Validator validator, Account account)
    {
        if (account.MessagingRestricted)
        {
            validator.Add("account", "is restricted from sending messages (messagingRestricted: not 10DLC registered)");
        }
    }

    /// <summary>
    /// Why a send accepted earlier (a scheduled message, a bulk send's later chunks) may no longer go out,
    /// or null: the account was restricted from sending, or the sender is no longer a member of it.
    /// </summary>
    public static string? SendingStopped(bool accountRestricted, bool senderIsMember) =>
        accountRestricted ? "the account is restricted from sending messages (messagingRestricted)"
        : !senderIsMember ? "the sender is no longer a member of the account"
        : null;

    /// <summary>
    /// The numbers among <paramref name="numbers"/> the account may not text, each with why: opted out of
    /// the account, or blocked there (its conversation, or a contact having it). One round trip for any count.
    /// </summary>
    public static async Task<Dictionary<string, string>> UnreachableAsync(HypermediaDbContext db, long accountId, string[] numbers, CancellationToken cancellationToken)
    {
        var optedOut = db.Set<OptOut>().Where(o => o.AccountId == accountId && o.Active && numbers.Contains(o.PhoneNumber))
            .Select(o => new { o.PhoneNumber, OptedOut = true });
        var blockedConversations = db.Set<Conversation>().Where(c => c.AccountId == accountId && c.State == Conversation.Blocked && numbers.Contains(c.PhoneNumber))
            .Select(c => new { c.PhoneNumber, OptedOut = false });
        var blockedContacts = db.Set<ContactPhone>().Where(p => p.AccountId == accountId && p.Contact!.BlockedAt != null && numbers.Contains(p.PhoneNumber))
            .Select(p => new { p.PhoneNumber, OptedOut = false });
        var rows = await optedOut.Concat(blockedConversations).Concat(blockedContacts).ToListAsync(cancellationToken);

        // Opted out says more than blocked: it is the contact's own choice.
        return rows.GroupBy(r => r.PhoneNumber)
            .ToDictionary(g => g.Key, g => g.Any(r => r.OptedOut) ? OptedOutReason : BlockedReason, StringComparer.Ordinal);
    }

    public const string OptedOutReason = "has opted out of messages from this account";

    public const string BlockedReason = "is blocked in this account";

    /// <summary>
    /// Writes the message (queued, or scheduled for <paramref name="scheduledAt"/>) and its conversation in
    /// one transaction, then enqueues its dispatch or schedules its release.
    /// </summary>
    public async Task<MessageView> AcceptAsync(ValidSend send, DateTimeOffset? scheduledAt, CancellationToken cancellationToken)
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
            Channel = send.Channel,
            WhatsAppTemplateId = send.Template?.Id,
            TemplateValues = send.Template?.Values,
            DeliveryState = scheduledAt is null ? DeliveryStates.Queued : DeliveryStates.Scheduled,
            Flags = scheduledAt is null ? [] : [MessageFlags.Scheduled],
            ScheduledAt = scheduledAt,
            Source = "api",
            SenderId = send.SenderId,
            Carrier = carriers.Default.Name,
            TimelinePosition = now,
            LatestEventAt = now,
            CreatedAt = now,
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        if (send.AttachmentId is { } attachmentId)
        {
            db.MessageAttachments.Add(new MessageAttachment { MessageId = message.Id, AttachmentId = attachmentId, Position = 0 });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        // After the commit: a job must never find its message missing. Should the process die between the
        // two, the queued-message sweep enqueues it (or releases the scheduled message once it is due).
        if (scheduledAt is { } at)
        {
            message.ScheduledJobId = await ScheduledMessages.ScheduleAsync(db, jobs, message.Id, at, cancellationToken);
        }
        else
        {
            MessageDispatch.Enqueue(jobs, message.Id);
        }

        return new MessageView(message, conversation.Slug, send.SenderSlug);
    }
}
