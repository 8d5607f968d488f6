using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.Users;

namespace Hypermedia.Server.Features.Conversations;

/// <summary>
/// Everything one account and one outside number said to each other: one row per (account, number),
/// created by the first message either way.
/// </summary>
public sealed class Conversation
{
    public const string Open = "open";
    public const string Closed = "closed";
    public const string Blocked = "blocked";

    public long Id { get; set; }

    public required string Slug { get; set; }

    public long AccountId { get; set; }

    public Account? Account { get; set; }

    /// <summary>The outside party's number, E.164.</summary>
    public required string PhoneNumber { get; set; }

    /// <summary>The account's number the latest message used, E.164.</summary>
    public required string AccountPhoneNumber { get; set; }

    /// <summary>open, closed or blocked.</summary>
    public required string State { get; set; }

    /// <summary>The contact a user picked when several share the number; null until then.</summary>
    public long? AssignedContactId { get; set; }

    public Contact? AssignedContact { get; set; }

    /// <summary>The newest message's timeline position: conversations list newest first by it.</summary>
    public DateTimeOffset LatestActivityAt { get; set; }

    /// <summary>How many messages it holds, kept with each message so a timeline page never counts them.</summary>
    public int MessageCount { get; set; }

    /// <summary>When the outside party last wrote; null while they never have (the conversation is then read for everyone).</summary>
    public DateTimeOffset? LatestInboundAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>PostgreSQL's xmin: changes with every write of the row.</summary>
    public uint Version { get; set; }
}

/// <summary>
/// One user's view of a conversation (read, starred). No row means never touched: read while the
/// outside party has not written, unread once they have.
/// </summary>
public sealed class ConversationUserState
{
    public long ConversationId { get; set; }

    public long UserId { get; set; }

    public bool Read { get; set; }

    public DateTimeOffset? ReadToTimelinePosition { get; set; }

    public bool Starred { get; set; }
}

/// <summary>A user assigned to a conversation (at most once each).</summary>
public sealed class ConversationAssignment
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public long ConversationId { get; set; }

    public Conversation? Conversation { get; set; }

    public long AssigneeId { get; set; }

    public User? Assignee { get; set; }

    public long? AssignerId { get; set; }

    public User? Assigner { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
