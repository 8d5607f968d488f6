using Hypermedia.Server.Features.Accounts;

namespace Hypermedia.Server.Features.Attachments;

/// <summary>
/// A file accepted for sending: fetched from a public URL or uploaded, checked, and kept once in the blob
/// store under its content's key. Belongs to the account it was accepted in; messages (and later saved
/// replies) refer to it, so a bulk send's messages share one.
/// </summary>
public sealed class Attachment
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public long AccountId { get; set; }

    public Account? Account { get; set; }

    /// <summary>SHA-256 of the bytes in hex, then the type's extension: the blob's name.</summary>
    public required string Key { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    public int? Width { get; set; }

    public int? Height { get; set; }

    public string? OriginalFilename { get; set; }

    /// <summary>The media_url it was fetched from; null when uploaded.</summary>
    public string? SourceUrl { get; set; }

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An attachment sent with a message, in the order the request gave them.</summary>
public sealed class MessageAttachment
{
    public long MessageId { get; set; }

    public long AttachmentId { get; set; }

    public Attachment? Attachment { get; set; }

    public int Position { get; set; }
}
