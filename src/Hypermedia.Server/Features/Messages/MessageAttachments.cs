using System.ComponentModel;
using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Messages;

/// <summary>A file sent with a message.</summary>
[HydraClass("Attachment", "A file sent with a message.")]
public sealed class AttachmentResource() : Resource("Attachment")
{
    [Description("Where the file can be fetched")]
    public required string Url { get; init; }

    [Description("Its media type, e.g. image/png")]
    public required string ContentType { get; init; }
}

/// <summary>
/// A message's attachments. Sending with attachments is not available yet, so every message's list is
/// empty; it is a real collection (query options and all) so clients can follow the link today.
/// </summary>
public static class MessageAttachments
{
    public static readonly QueryModel<AttachmentResource> Model = QueryModel.Create<AttachmentResource, AttachmentRow>("Attachment", a => new AttachmentRow
    {
        Entity = a,
        ContentType = a.ContentType,
    });

    public static HydraCollection<AttachmentResource> Of(HttpRequest request) =>
        Array.Empty<AttachmentResource>().Page(request, Model, a => a);

    private sealed class AttachmentRow : QueryRow<AttachmentResource>
    {
        public required string ContentType { get; init; }
    }
}
