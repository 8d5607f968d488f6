using System.Text.Json.Serialization;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Invitations;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Http;

namespace Hypermedia.Server.Features.Users;

public sealed class UserResource() : Resource("User")
{
    public required string Name { get; init; }

    public required string? FirstName { get; init; }

    public required string? LastName { get; init; }

    public required string Email { get; init; }

    public required bool Discarded { get; init; }

    public required bool Staff { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Only the memberships in accounts the caller belongs to.</summary>
    public required HydraCollection<MembershipResource> Memberships { get; init; }

    /// <summary>The user's API tokens; null unless the caller is that user (tokens are managed only by their owner).</summary>
    public required string? ApiTokens { get; init; }

    /// <summary>Where the caller may invite the user to a first token; null for yourself, discarded users and non-admins.</summary>
    public required string? Invitations { get; init; }

    /// <summary>The invitation IRI: present only in the response that created the user, never again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Invitation { get; init; }

    /// <param name="callerManages">Whether the caller administers an account of the user (or is staff).</param>
    /// <param name="invitation">The IRI of the invitation just issued with the user, if any.</param>
    public static UserResource From(User user, IReadOnlyList<Membership> visibleMemberships, long callerId, bool callerManages, Iris iris,
        string? invitation = null)
    {
        var (first, last) = PersonNames.Split(user.Name);
        var membershipsIri = iris.For(UsersApi.UserMembershipsRoute, new { id = user.Slug });
        return new UserResource
        {
            Id = iris.For(UsersApi.UserRoute, new { id = user.Slug }),
            Name = user.Name,
            FirstName = first,
            LastName = last,
            Email = user.Email,
            Discarded = user.DiscardedAt is not null,
            Staff = user.IsStaff,
            CreatedAt = user.CreatedAt,
            Memberships = CollectionPager.Whole(membershipsIri, [.. visibleMemberships.Select(m => MembershipResource.From(m, user.Slug, iris))]),
            ApiTokens = user.Id == callerId ? iris.For(UsersApi.UserApiTokensRoute, new { id = user.Slug }) : null,
            Invitations = callerManages && user.Id != callerId && user.DiscardedAt is null
                ? iris.For(InvitationsApi.UserInvitationsRoute, new { id = user.Slug })
                : null,
            Invitation = invitation,
        };
    }
}

/// <summary>The link between a user and an account, with the user's role there.</summary>
public sealed class MembershipResource() : Resource("Membership")
{
    public required string Role { get; init; }

    public required string User { get; init; }

    public required AccountReference Account { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public static MembershipResource From(Membership membership, string userSlug, Iris iris) => new()
    {
        Id = iris.For(UsersApi.MembershipRoute, new { id = userSlug, membership = membership.Slug }),
        Role = membership.Role,
        User = iris.For(UsersApi.UserRoute, new { id = userSlug }),
        Account = AccountReference.From(membership.Account!, iris),
        CreatedAt = membership.CreatedAt,
    };
}

/// <summary>The small form of a User embedded in other resources (a note's author).</summary>
public sealed class UserReference() : Resource("User")
{
    public required string Name { get; init; }

    public static UserReference From(User user, Iris iris) => new()
    {
        Id = iris.For(UsersApi.UserRoute, new { id = user.Slug }),
        Name = user.Name,
    };
}
