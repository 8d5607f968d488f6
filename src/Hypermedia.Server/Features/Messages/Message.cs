namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// A message sent to or received from a phone number. Only the columns other features already rely
/// on (a contact's message history decides whether it may be deleted); sending arrives with its own issue.
/// </summary>
public sealed class Message
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public long AccountId { get; set; }

    /// <summary>The other party's number, E.164.</summary>
    public required string PhoneNumber { get; set; }

    /// <summary>"in" or "out", as TextUs writes it.</summary>
    public required string Direction { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
