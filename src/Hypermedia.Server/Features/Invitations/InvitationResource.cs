using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Http;

namespace Hypermedia.Server.Features.Invitations;

/// <summary>
/// An invitation as its issuer sees it, once: its <c>id</c> is the IRI to claim, and it carries the
/// secret, so no later response ever shows it again.
/// </summary>
public sealed class InvitationResource() : Resource("Invitation")
{
    public required string User { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public static InvitationResource From(Invitation invitation, string key, string userSlug, Iris iris) => new()
    {
        Id = InvitationsApi.Iri(key, iris),
        User = iris.For(UsersApi.UserRoute, new { id = userSlug }),
        CreatedAt = invitation.CreatedAt,
        ExpiresAt = invitation.ExpiresAt,
    };
}
