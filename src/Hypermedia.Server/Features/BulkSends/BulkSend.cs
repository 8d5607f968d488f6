using Hypermedia.Server.Features.Users;

namespace Hypermedia.Server.Features.BulkSends;

/// <summary>
/// One send to several recipients: the text, who sends it from which number, and how far the fan-out
/// got. It is accepted with its recipients' numbers in one row beside it (<see cref="AcceptedRecipients"/>),
/// in the same transaction, so a crash between the 202 and the jobs loses nothing; the first fan-out run
/// (or the first request that lists or cancels them) turns them into rows of <see cref="BulkSendRecipient"/>
/// (<see cref="BulkSendRecipientRows"/>), which the fan-out jobs work from.
/// </summary>
public sealed class BulkSend
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public long AccountId { get; set; }

    public Accounts.Account? Account { get; set; }

    /// <summary>The user who sent it; the fan-out acts as them.</summary>
    public long SenderId { get; set; }

    public User? Sender { get; set; }

    /// <summary>The account's number it goes out from, E.164.</summary>
    public required string AccountPhoneNumber { get; set; }

    public required string Body { get; set; }

    /// <summary>The file every one of its messages carries (fetched and stored once for all), or null.</summary>
    public long? AttachmentId { get; set; }

    /// <summary>sms or whatsapp (<see cref="Messages.MessageChannels"/>): every one of its messages goes over it.</summary>
    public string Channel { get; set; } = Messages.MessageChannels.Sms;

    /// <summary>The WhatsApp template its messages are sent from (then <see cref="Body"/> is the template's), or null.</summary>
    public long? WhatsAppTemplateId { get; set; }

    /// <summary>The values the send gave for the template's variables (jsonb); each recipient's own fill the rest at fan-out.</summary>
    public string? TemplateValues { get; set; }

    /// <summary>One of <see cref="BulkSendStates"/>.</summary>
    public required string State { get; set; }

    /// <summary>When a scheduled bulk send starts; null for one that starts at once.</summary>
    public DateTimeOffset? ScheduledAt { get; set; }

    /// <summary>Distinct recipients after normalization.</summary>
    public int TotalCount { get; set; }

    /// <summary>Recipients whose message was created and handed on (kept by the fan-out as it goes).</summary>
    public int SentCount { get; set; }

    /// <summary>Recipients skipped at fan-out (opted out, blocked), each with its reason.</summary>
    public int SkippedCount { get; set; }

    /// <summary>Recipients not processed because the send was cancelled.</summary>
    public int CancelledCount { get; set; }

    /// <summary>Hangfire's ids of the jobs that fan it out (the first is the one linked from the resource).</summary>
    public List<string> JobIds { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>When its state or counts last changed: the sweep picks up a send that stopped moving.</summary>
    public DateTimeOffset LatestEventAt { get; set; }
}

/// <summary>
/// A bulk send's recipients as accepted, until their rows are written (then this row is gone): one row holding
/// 10,000 numbers in two arrays costs the 202 a fraction of what 10,000 rows cost.
/// </summary>
public sealed class AcceptedRecipients
{
    public long BulkSendId { get; set; }

    public BulkSend? BulkSend { get; set; }

    /// <summary>E.164, distinct, in request order.</summary>
    public required string[] Numbers { get; set; }

    /// <summary>Each number's index in the request's <c>to</c>, in step with <see cref="Numbers"/>.</summary>
    public required int[] Positions { get; set; }
}

/// <summary>One recipient of a bulk send, in the order the request listed it.</summary>
public sealed class BulkSendRecipient
{
    public long Id { get; set; }

    public long BulkSendId { get; set; }

    public BulkSend? BulkSend { get; set; }

    /// <summary>Its index in the request's <c>to</c> (the first occurrence, when it was listed twice).</summary>
    public int Position { get; set; }

    /// <summary>E.164.</summary>
    public required string PhoneNumber { get; set; }

    /// <summary>One of <see cref="RecipientStates"/>.</summary>
    public required string State { get; set; }

    /// <summary>Why it was skipped or not sent, for people.</summary>
    public string? Reason { get; set; }

    /// <summary>The message sent to it.</summary>
    public long? MessageId { get; set; }

    public Messages.Message? Message { get; set; }

    /// <summary>Which server process handled it (host:pid), for support staff and the scale-out test.</summary>
    public string? ProcessedBy { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }
}

public static class BulkSendStates
{
    public const string Scheduled = "scheduled";
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";

    /// <summary>States from which a bulk send may still be cancelled.</summary>
    public static readonly string[] Cancellable = [Scheduled, Queued, Sending];

    /// <summary>States a bulk send ends in.</summary>
    public static readonly string[] Finished = [Completed, Cancelled];
}

public static class RecipientStates
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";
}
