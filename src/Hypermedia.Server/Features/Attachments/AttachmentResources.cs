using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Attachments;

/// <summary>
/// What TextUs shows of a stored file, whichever resource shows it: an <see cref="AttachmentResource"/>, or a
/// saved reply's <c>SavedReplyAttachment</c>. Its IRI is the attachment's in both.
/// </summary>
public abstract class FileResource(string type) : Resource(type)
{
    /// <summary>A <typeparamref name="T"/> showing <paramref name="attachment"/>.</summary>
    public static T Of<T>(Attachment attachment, Iris iris)
        where T : FileResource, new() => new()
        {
            Id = iris.For(AttachmentsApi.AttachmentRoute, new { id = attachment.Slug }),
            Url = iris.For(AttachmentsApi.MediaRoute, new { key = attachment.Key }),
            DownloadUrl = iris.For(AttachmentsApi.DownloadRoute, new { id = attachment.Slug }),
            Key = attachment.Key,
            ContentType = attachment.ContentType,
            Size = attachment.Size,
            Width = attachment.Width,
            Height = attachment.Height,
            OriginalFilename = attachment.OriginalFilename,
            CreatedAt = attachment.CreatedAt,
        };

    [Description("Where the file is served publicly (carriers fetch it from here); its path is its key, so only someone who has the file can name it")]
    public string Url { get; init; } = "";

    [Description("Where a member of its account downloads it (with a token)")]
    public string DownloadUrl { get; init; } = "";

    [Description("The SHA-256 of its bytes in hex, then its type's extension")]
    public string Key { get; init; } = "";

    [Description("Its media type, e.g. image/png")]
    public string ContentType { get; init; } = "";

    [Description("Its size in bytes")]
    public long Size { get; init; }

    [Description("An image's width in pixels, or null")]
    public int? Width { get; init; }

    [Description("An image's height in pixels, or null")]
    public int? Height { get; init; }

    [Description("The file's name where it came from (the upload, or the URL's last segment), or null")]
    public string? OriginalFilename { get; init; }

    [Description("When it was accepted")]
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A file sent with a message, as TextUs shows it.</summary>
[HydraClass("Attachment", "A file sent with a message: checked, and kept once by its content's key.")]
public sealed class AttachmentResource : FileResource
{
    /// <summary>Empty until <see cref="Of"/> fills it (the id too).</summary>
    [SetsRequiredMembers]
    public AttachmentResource()
        : base("Attachment") => Id = "";

    public static AttachmentResource Of(Attachment attachment, Iris iris) => Of<AttachmentResource>(attachment, iris);
}

/// <summary>How lists of attachments are filtered and ordered.</summary>
public static class AttachmentQueries
{
    public static readonly QueryModel<Attachment> Model = QueryModel.Create<Attachment, AttachmentRow>("Attachment", a => new AttachmentRow
    {
        Entity = a,
        ContentType = a.ContentType,
        Size = a.Size,
        Key = a.Key,
        OriginalFilename = a.OriginalFilename,
        CreatedAt = a.CreatedAt,
    });

    /// <summary>Newest first, on the (account, created, id) index.</summary>
    public static readonly KeysetOrder<Attachment> NewestFirst = KeysetOrder<Attachment>.By(a => a.CreatedAt, a => a.Id, descending: true);

    /// <summary>In the order they were accepted (a message's, by its one or few attachments).</summary>
    public static readonly KeysetOrder<Attachment> OldestFirst = KeysetOrder<Attachment>.By(a => a.CreatedAt, a => a.Id);

    private sealed class AttachmentRow : QueryRow<Attachment>
    {
        public required string ContentType { get; init; }

        public required long Size { get; init; }

        public required string Key { get; init; }

        public required string? OriginalFilename { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }
    }
}
