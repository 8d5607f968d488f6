using Hypermedia.Server.Features.Attachments;
using Hypermedia.Server.Features.Users;

namespace Hypermedia.Server.Features.SavedReplies;

/// <summary>
/// A user's canned message body (TextUs §2.3), with at most one file. Its owner alone changes it; when
/// shared, members of the accounts the owner belongs to see it and may send it from those accounts.
/// </summary>
public sealed class SavedReply
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public long UserId { get; set; }

    public User? User { get; set; }

    public required string Title { get; set; }

    /// <summary>The body it sends; may hold personalization variables, rendered when it is sent.</summary>
    public required string Content { get; set; }

    public bool Shared { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c>: the ETag's version.</summary>
    public uint Version { get; set; }

    public List<SavedReplyAttachment> Attachments { get; set; } = [];
}

/// <summary>A file a saved reply sends: an attachment accepted in one of its owner's accounts.</summary>
public sealed class SavedReplyAttachment
{
    public long SavedReplyId { get; set; }

    public long AttachmentId { get; set; }

    public Attachment? Attachment { get; set; }

    public int Position { get; set; }
}
