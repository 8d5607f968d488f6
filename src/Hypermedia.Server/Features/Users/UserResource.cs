using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.CustomFields;
using Hypermedia.Server.Features.Invitations;
using Hypermedia.Server.Features.SavedReplies;
using Hypermedia.Server.Features.Signatures;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Users;

[HydraClass("User", "A person (or automated actor) who uses the API with their own tokens.")]
public sealed class UserResource() : Resource("User")
{
    [Description("Full name")]
    public required string Name { get; init; }

    [Description("First name, derived from name")]
    public required string? FirstName { get; init; }

    [Description("Last name, derived from name")]
    public required string? LastName { get; init; }

    [Description("Email address, unique")]
    public required string Email { get; init; }

    [Description("Discarded users are kept for history and cannot authenticate")]
    public required bool Discarded { get; init; }

    [Description("Server-level support staff (watches jobs); see staffLevel")]
    public required bool Staff { get; init; }

    [Description("viewer (reads the jobs dashboard) or operator (also acts on jobs, and has staff powers in the API); null when not staff")]
    public string? StaffLevel { get; init; }

    [Description("When the user was created")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("customSettings: the user's values of user schema fields (of accounts you belong to), keyed by the field's IRI")]
    public required UserSettings Settings { get; init; }

    [Description("The user's memberships in accounts you belong to")]
    public required HydraCollection<MembershipResource> Memberships { get; init; }

    /// <summary>The user's API tokens; null unless the caller is that user (tokens are managed only by their owner).</summary>
    [Description("The user's API tokens; only for the user themself")]
    public required string? ApiTokens { get; init; }

    [Description("The user's saved replies (their own and those shared with them); only for the user themself")]
    public required string? SavedReplies { get; init; }

    [Description("The user's signature (404 while they have none)")]
    public required string Signature { get; init; }

    [Description("Where an admin of the user's accounts invites them to a first API token; null for yourself and discarded users")]
    public required string? Invitations { get; init; }

    [Description("The invitation IRI to pass to the new user; only in the response to POST /users")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Invitation { get; init; }

    /// <param name="callerManages">Whether the caller administers an account of the user (or is staff).</param>
    /// <param name="keys">How the user's custom values are named (<see cref="FieldKeys.ForUsersAsync"/>).</param>
    /// <param name="invitation">The IRI of the invitation just issued with the user, if any.</param>
    public static UserResource From(User user, IReadOnlyList<Membership> visibleMemberships, long callerId, bool callerManages, FieldKeys keys, Iris iris,
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
            Staff = user.StaffLevel is not null,
            StaffLevel = user.StaffLevel?.Name(),
            CreatedAt = user.CreatedAt,
            Settings = new UserSettings(keys.Document(user.CustomValues), user.AppendSignature),
            Memberships = CollectionPager.Whole(membershipsIri, [.. visibleMemberships.Select(m => MembershipResource.From(m, user.Slug, iris))]),
            ApiTokens = user.Id == callerId ? iris.For(UsersApi.UserApiTokensRoute, new { id = user.Slug }) : null,
            SavedReplies = user.Id == callerId ? iris.For(SavedRepliesApi.UserSavedRepliesRoute, new { id = user.Slug }) : null,
            Signature = iris.For(SignaturesApi.SignatureRoute, new { id = user.Slug }),
            Invitations = callerManages && user.Id != callerId && user.DiscardedAt is null
                ? iris.For(InvitationsApi.UserInvitationsRoute, new { id = user.Slug })
                : null,
            Invitation = invitation,
        };
    }
}

/// <summary>A user's settings as TextUs shows them: <c>customSettings</c>, and whether their signature is appended.</summary>
public sealed record UserSettings(JsonObject CustomSettings, bool AppendSignature);

/// <summary>The link between a user and an account, with the user's role there.</summary>
[HydraClass("Membership", "A user's role in one account.")]
public sealed class MembershipResource() : Resource("Membership")
{
    [Description("admin, support or user")]
    public required string Role { get; init; }

    [Description("The member")]
    public required string User { get; init; }

    [Description("The account")]
    public required AccountReference Account { get; init; }

    [Description("When the membership was created")]
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
