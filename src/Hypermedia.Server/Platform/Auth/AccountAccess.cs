using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Platform.Auth;

/// <summary>
/// The caller's place in an account. Handlers of account routes take it as a parameter: binding it is
/// the tenancy check (see <see cref="AccountAccess.CurrentMemberAsync"/>), already done by the route
/// group's filter, so it costs no second query.
/// </summary>
public sealed record AccountMember(Account Account, string Role)
{
    public bool IsAdmin => Role == Roles.Admin;

    public AccountMember RequireAdmin() =>
        IsAdmin ? this : throw ApiException.Forbidden("Only an admin of this account may do this.");

    public static async ValueTask<AccountMember?> BindAsync(HttpContext context) =>
        await context.RequestServices.GetRequiredService<AccountAccess>().CurrentMemberAsync(context);
}

/// <summary>
/// The one tenancy check: an account is visible only to its members. Everything else answers 404,
/// so a resource of another account is indistinguishable from one that does not exist.
/// </summary>
public sealed class AccountAccess(HypermediaDbContext db, Caller caller)
{
    /// <summary>The route value every account route names its account by: <c>/{account}/…</c>, <c>/accounts/{account}</c>.</summary>
    public const string RouteValue = "account";

    private AccountMember? current;

    public long CallerId => caller.UserId;

    public string CallerSlug => caller.UserSlug;

    /// <summary>The caller's membership in the request's account, loaded once per request; 404 for a non-member.</summary>
    public async ValueTask<AccountMember> CurrentMemberAsync(HttpContext context) =>
        current ??= await RequireMemberAsync(
            context.Request.RouteValues[RouteValue] as string ?? throw new InvalidOperationException("Not an account route."),
            context.RequestAborted);

    public async Task<AccountMember> RequireMemberAsync(string accountSlug, CancellationToken cancellationToken = default) =>
        await FindMember(db, CallerId, accountSlug, cancellationToken) ?? throw ApiException.NotFound("account");

    /// <summary>Every account route runs this, so it is compiled once; untracked (a write attaches the account).</summary>
    private static readonly Func<HypermediaDbContext, long, string, CancellationToken, Task<AccountMember?>> FindMember =
        EF.CompileAsyncQuery((HypermediaDbContext db, long callerId, string accountSlug, CancellationToken cancellationToken) =>
            db.Set<Membership>().AsNoTracking()
                .Where(m => m.UserId == callerId && m.Account!.Slug == accountSlug)
                .Select(m => new AccountMember(m.Account!, m.Role))
                .SingleOrDefault());

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
