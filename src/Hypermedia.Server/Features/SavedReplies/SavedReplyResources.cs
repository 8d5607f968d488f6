using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Features.Attachments;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.SavedReplies;

[HydraClass("Saved reply", "A user's canned message body, with at most one file; sent by naming it as saved_reply on a send.")]
public sealed class SavedReplyResource() : Resource("SavedReply")
{
    [Description("What the user picks it by, 1 to 255 characters")]
    public required string Title { get; init; }

    [Description("The body a send from it gets (unless the send gives one); may hold personalization variables")]
    public required string Content { get; init; }

    [Description("Whether members of the owner's accounts see it and may send it from those accounts")]
    public required bool Shared { get; init; }

    [Description("Its owner, the only user who changes or deletes it")]
    public required string User { get; init; }

    [Description("The file it sends, if any")]
    public required HydraCollection<SavedReplyAttachmentResource> Attachments { get; init; }

    [Description("When it was created")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("When it last changed")]
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <param name="reply">With its attachments and their files loaded, and its owner.</param>
    public static SavedReplyResource Of(SavedReply reply, Iris iris) =>
        Of(reply, reply.User!.Slug, [.. reply.Attachments.OrderBy(a => a.Position).Select(a => a.Attachment!)], iris);

    /// <summary>The reply as just written: its owner's slug and its files are what the request had, not read back.</summary>
    public static SavedReplyResource Of(SavedReply reply, string ownerSlug, IReadOnlyList<Attachment> files, Iris iris) => new()
    {
        Id = iris.For(SavedRepliesApi.SavedReplyRoute, new { id = reply.Slug }),
        Title = reply.Title,
        Content = reply.Content,
        Shared = reply.Shared,
        User = iris.For(UsersApi.UserRoute, new { id = ownerSlug }),
        Attachments = CollectionPager.Whole(
            iris.For(SavedRepliesApi.SavedReplyAttachmentsRoute, new { id = reply.Slug }),
            [.. files.Select(f => SavedReplyAttachmentResource.Of(f, iris))]),
        CreatedAt = reply.CreatedAt,
        UpdatedAt = reply.UpdatedAt,
    };
}

/// <summary>A saved reply's file, as TextUs shows it: the attachment's fields under its own type.</summary>
[HydraClass("Saved reply attachment", "A file a saved reply sends; its IRI is the attachment's.")]
public sealed class SavedReplyAttachmentResource : FileResource
{
    /// <summary>Empty until <see cref="Of"/> fills it (the id too).</summary>
    [SetsRequiredMembers]
    public SavedReplyAttachmentResource()
        : base("SavedReplyAttachment") => Id = "";

    public static SavedReplyAttachmentResource Of(Attachment attachment, Iris iris) => Of<SavedReplyAttachmentResource>(attachment, iris);
}

/// <summary>How lists of saved replies are filtered and ordered.</summary>
public static class SavedReplyQueries
{
    public static readonly QueryModel<SavedReply> Model = QueryModel.Create<SavedReply, SavedReplyRow>("SavedReply", r => new SavedReplyRow
    {
        Entity = r,
        Title = r.Title,
        Content = r.Content,
        Shared = r.Shared,
        CreatedAt = r.CreatedAt,
        UpdatedAt = r.UpdatedAt,
    });

    /// <summary>By title, as a picker lists them; the id breaks ties.</summary>
    public static readonly KeysetOrder<SavedReply> ByTitle = KeysetOrder<SavedReply>.By(r => r.Title, r => r.Id);

    private sealed class SavedReplyRow : QueryRow<SavedReply>
    {
        public required string Title { get; init; }

        public required string Content { get; init; }

        public required bool Shared { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }

        public required DateTimeOffset UpdatedAt { get; init; }
    }
}
