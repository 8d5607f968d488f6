using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Users;

namespace Hypermedia.Server.Features.Messages;

/// <summary>A message sent to or received from a phone number, in its conversation.</summary>
public sealed class Message
{
    public const string Outgoing = "out";
    public const string Incoming = "in";

    public long Id { get; set; }

    public required string Slug { get; set; }

    public long AccountId { get; set; }

    public long ConversationId { get; set; }

    public Conversation? Conversation { get; set; }

    /// <summary>The other party's number, E.164.</summary>
    public required string PhoneNumber { get; set; }

    /// <summary>The account's number it was sent from or to, E.164.</summary>
    public required string AccountPhoneNumber { get; set; }

    /// <summary>"in" or "out", as TextUs writes it.</summary>
    public required string Direction { get; set; }

    public required string Body { get; set; }

    /// <summary>One of <see cref="DeliveryStates"/>.</summary>
    public required string DeliveryState { get; set; }

    /// <summary>One of <see cref="MessageChannels.All"/>: sms, or whatsapp.</summary>
    public string Channel { get; set; } = MessageChannels.Sms;

    /// <summary>The WhatsApp template it was sent from; null otherwise. Templates are only ever marked deleted, so it stays.</summary>
    public long? WhatsAppTemplateId { get; set; }

    public WhatsApp.WhatsAppTemplate? WhatsAppTemplate { get; set; }

    /// <summary>
    /// A template message's variables and the value each took (<c>{"appt_date": "1/1"}</c>, jsonb): what the carrier
    /// fills the approved template with (Twilio's ContentVariables). Null for other messages.
    /// </summary>
    public string? TemplateValues { get; set; }

    /// <summary>What created it: api, or the carrier's name for inbound messages.</summary>
    public required string Source { get; set; }

    /// <summary>"scheduled", "automated".</summary>
    public List<string> Flags { get; set; } = [];

    /// <summary>The user who sent it; null for inbound messages.</summary>
    public long? SenderId { get; set; }

    public User? Sender { get; set; }

    /// <summary>The carrier it went through or came from, and that carrier's id for it (Twilio's SID).</summary>
    public string? Carrier { get; set; }

    public string? CarrierMessageId { get; set; }

    /// <summary>
    /// Set (and committed) just before the carrier is called. A dispatch that finds it set on a message
    /// still queued knows an earlier run died during the call: the message ends unknown, never re-sent.
    /// </summary>
    public DateTimeOffset? DispatchStartedAt { get; set; }

    /// <summary>What the carrier said when it failed, for people.</summary>
    public string? FailureReason { get; set; }

    /// <summary>The bulk send it was fanned out from; one message per bulk send and number (a unique index).</summary>
    public long? BulkSendId { get; set; }

    public BulkSends.BulkSend? BulkSend { get; set; }

    /// <summary>When a scheduled message is due; null for one sent at once.</summary>
    public DateTimeOffset? ScheduledAt { get; set; }

    /// <summary>Hangfire's id of the job that releases a scheduled message (deleted when it is cancelled).</summary>
    public string? ScheduledJobId { get; set; }

    /// <summary>Orders the conversation's timeline: when it was accepted (outgoing) or received (incoming).</summary>
    public DateTimeOffset TimelinePosition { get; set; }

    /// <summary>When its delivery state last changed.</summary>
    public DateTimeOffset LatestEventAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The catalogue's delivery states (R4).</summary>
public static class DeliveryStates
{
    public const string Created = "created";
    public const string Scheduled = "scheduled";
    public const string Queued = "queued";
    public const string Dispatched = "dispatched";
    public const string Delivered = "delivered";
    public const string FailedTransient = "failed_transient";
    public const string Unknown = "unknown";
    public const string Failed = "failed";
    public const string Received = "received";

    /// <summary>States a user may retry from.</summary>
    public static readonly string[] Retryable = [FailedTransient, Unknown];
}

/// <summary>What a message travelled over: a text message, or WhatsApp.</summary>
public static class MessageChannels
{
    public const string Sms = "sms";
    public const string WhatsApp = "whatsapp";

    public static readonly string[] All = [Sms, WhatsApp];
}

/// <summary>The catalogue's message flags.</summary>
public static class MessageFlags
{
    public const string Scheduled = "scheduled";
}
