using System.ComponentModel;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Invitations;

/// <summary>
/// An invitation as its issuer sees it, once: its <c>id</c> is the IRI to claim, and it carries the
/// secret, so no later response ever shows it again.
/// </summary>
[HydraClass("Invitation", "A one-time IRI that lets its holder claim a user's first API token. Shown once, to the admin who issued it; the server keeps only a hash of its secret.")]
public sealed class InvitationResource() : Resource("Invitation")
{
    [Description("The user the invitation is for")]
    public required string User { get; init; }

    [Description("When the invitation was issued")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("When it stops working if unused (7 days after issue)")]
    public required DateTimeOffset ExpiresAt { get; init; }

    public static InvitationResource From(Invitation invitation, string key, string userSlug, Iris iris) => new()
    {
        Id = InvitationsApi.Iri(key, iris),
        User = iris.For(UsersApi.UserRoute, new { id = userSlug }),
        CreatedAt = invitation.CreatedAt,
        ExpiresAt = invitation.ExpiresAt,
    };
}
