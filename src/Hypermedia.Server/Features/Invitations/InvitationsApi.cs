using System.Linq.Expressions;
using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Invitations;

/// <summary>
/// A first token without a shell. An admin who manages a user with no active API token issues an
/// invitation; whoever holds its IRI claims the user's first token with a POST and no credentials,
/// once, within <see cref="InvitationIssuer.Lifetime"/>. Otherwise tokens stay managed by their owner.
/// </summary>
public sealed class InvitationsApi : IApiArea
{
    public const string InvitationRoute = "invitation";
    public const string UserInvitationsRoute = "userInvitations";

    /// <summary>The description of the token a claim issues; its owner may revoke it and create others.</summary>
    public const string ClaimedTokenDescription = "First token, from an invitation";

    public void AddServices(IServiceCollection services) => services.AddScoped<InvitationIssuer>();

    public void MapRoutes(AreaRoutes routes)
    {
        routes.Authenticated.MapPost("/users/{id}/invitations", Issue).WithName(UserInvitationsRoute)
            .Documented("User.invitations", "Invite a user who has no active API token; the invitation IRI is in this response only and replaces any unused one")
            .Produces<InvitationResource>(201).ProducesProblems(403, 404, 409);
        routes.Anonymous.MapPost("/invitations/{key}", Claim).AllowAnonymous().WithName(InvitationRoute)
            .Documented("Invitation", "Claim the invitation without a token: answers the user's first API token, once; spent, expired, revoked or unknown invitations are 404")
            .Produces<ApiTokenResource>(201).ProducesProblems(404);
    }

    public static string Iri(string key, Iris iris) => iris.For(InvitationRoute, new { key });

    /// <summary>
    /// The one definition of a usable invitation, used both to find it and in the UPDATE that spends
    /// it. <paramref name="now"/> stays a parameter, so every request shares one compiled query.
    /// </summary>
    private static Expression<Func<Invitation, bool>> Claimable(DateTimeOffset now) =>
        i => i.UsedAt == null && i.RevokedAt == null && i.ExpiresAt > now && i.User!.DiscardedAt == null;

    /// <summary>Every unusable invitation answers the same, so a probe learns nothing about which it hit.</summary>
    private static ApiException Unusable() => ApiException.NotFound("invitation");

    private static async Task<IResult> Issue(string id, HypermediaDbContext db, AccountAccess access, UserAuthority authority,
        InvitationIssuer invitations, Iris iris, CancellationToken cancellationToken)
    {
        var target = await authority.RequireVisibleAsync(id, cancellationToken);

        // A token works in every account of its user, so only whoever controls the user in all of
        // them may have one minted (an admin of some would reach the others; nobody but staff reaches staff).
        if (!target.ControlsUser)
        {
            throw ApiException.Forbidden(target.User.StaffLevel is not null
                ? "Only staff may invite a staff user."
                : "The user also belongs to accounts you do not administer; only an admin of each of their accounts (or staff) may invite them.");
        }

        if (target.User.DiscardedAt is not null)
        {
            throw ApiException.Conflict("The user is discarded; restore them before inviting them.");
        }

        // Issuing takes turns per user: the token check, the revocation of older invitations and the
        // new one commit together, so of two admins inviting at once each sees the other's result.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.TryLockRowAsync<User>(target.User.Id, RowLock.ForNoKeyUpdate, cancellationToken);

        // A user who can already authenticate manages their own tokens; an invitation would let
        // someone else mint one for them.
        if (await db.ApiTokens.AnyAsync(t => t.UserId == target.User.Id && t.RevokedAt == null, cancellationToken))
        {
            throw ApiException.Conflict("The user already has an active API token; tokens are managed by their owner.");
        }

        await invitations.RevokeOpenAsync(target.User.Id, cancellationToken);
        var (record, key) = invitations.Add(target.User, access.CallerId);
        await db.SaveOrConflictAsync("Another invitation for this user was issued at the same moment; retry.", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Created(InvitationResource.From(record, key, target.User.Slug, iris));
    }

    private static async Task<IResult> Claim(string key, HypermediaDbContext db, ApiTokenIssuer tokens, Iris iris, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!SecretFormat.Invitation.TryParse(key, out var slug, out var secret))
        {
            throw Unusable();
        }

        var now = clock.GetUtcNow();
        var found = await db.Invitations.Where(Claimable(now)).Where(i => i.Slug == slug)
            .Select(i => new { i.Id, i.SecretHash, i.UserId, UserSlug = i.User!.Slug })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null || !SecretFormat.Matches(secret, found.SecretHash))
        {
            throw Unusable();
        }

        // The token and the spending of the invitation commit together or not at all. The conditional
        // UPDATE is the single-use guard: of two parallel claims, the second waits on the first's row
        // lock, then sees used_at set, changes nothing and rolls its token back.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (token, text) = await tokens.IssueAsync(found.UserId, ClaimedTokenDescription, cancellationToken);
        var tokenId = token.Id;
        var spent = await db.Invitations.Where(Claimable(now)).Where(i => i.Id == found.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now).SetProperty(i => i.ApiTokenId, tokenId), cancellationToken);
        if (spent == 0)
        {
            throw Unusable();
        }

        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Created(ApiTokenResource.From(token, found.UserSlug, iris, text));
    }
}
