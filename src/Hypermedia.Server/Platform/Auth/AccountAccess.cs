using System.Security.Claims;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Platform.Auth;

/// <summary>The caller's place in an account.</summary>
public sealed record AccountMember(Account Account, string Role)
{
    public bool IsAdmin => Role == Roles.Admin;
}

/// <summary>
/// The one tenancy check: an account is visible only to its members. Everything else answers 404,
/// so a resource of another account is indistinguishable from one that does not exist.
/// </summary>
public sealed class AccountAccess(HypermediaDbContext db, IHttpContextAccessor http)
{
    private ClaimsPrincipal Caller => http.HttpContext?.User ?? throw new InvalidOperationException("No request.");

    public long CallerId => Caller.UserId();

    public string CallerSlug => Caller.UserSlug();

    public async Task<AccountMember> RequireMemberAsync(string accountSlug, CancellationToken cancellationToken = default)
    {
        var callerId = CallerId;
        var found = await db.Memberships
            .Where(m => m.UserId == callerId && m.Account!.Slug == accountSlug)
            .Select(m => new { m.Account, m.Role })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? throw ApiException.NotFound("account") : new AccountMember(found.Account!, found.Role);
    }

    public async Task<AccountMember> RequireAdminAsync(string accountSlug, CancellationToken cancellationToken = default)
    {
        var member = await RequireMemberAsync(accountSlug, cancellationToken);
        return member.IsAdmin ? member : throw ApiException.Forbidden("Only an admin of this account may do this.");
    }

    /// <summary>Ids of the accounts the caller belongs to, for scoping queries.</summary>
    public IQueryable<long> MemberAccountIds()
    {
        var callerId = CallerId;
        return db.Memberships.Where(m => m.UserId == callerId).Select(m => m.AccountId);
    }

    /// <summary>Ids of the accounts where the caller is an admin.</summary>
    public IQueryable<long> AdminAccountIds()
    {
        var callerId = CallerId;
        return db.Memberships.Where(m => m.UserId == callerId && m.Role == Roles.Admin).Select(m => m.AccountId);
    }
}
