using System.ComponentModel;
using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Attachments;

/// <summary>A file sent with a message, as TextUs shows it.</summary>
[HydraClass("Attachment", "A file sent with a message: checked, and kept once by its content's key.")]
public sealed class AttachmentResource() : Resource("Attachment")
{
    [Description("Where the file is served publicly (carriers fetch it from here); its path is its key, so only someone who has the file can name it")]
    public required string Url { get; init; }

    [Description("Where a member of its account downloads it (with a token)")]
    public required string DownloadUrl { get; init; }

    [Description("The SHA-256 of its bytes in hex, then its type's extension")]
    public required string Key { get; init; }

    [Description("Its media type, e.g. image/png")]
    public required string ContentType { get; init; }

    [Description("Its size in bytes")]
    public required long Size { get; init; }

    [Description("An image's width in pixels, or null")]
    public required int? Width { get; init; }

    [Description("An image's height in pixels, or null")]
    public required int? Height { get; init; }

    [Description("The file's name where it came from (the upload, or the URL's last segment), or null")]
    public required string? OriginalFilename { get; init; }

    [Description("When it was accepted")]
    public required DateTimeOffset CreatedAt { get; init; }

    public static AttachmentResource Of(Attachment attachment, Iris iris) => new()
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
