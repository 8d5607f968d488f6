using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Platform.Auth;

/// <summary>Who the code acts for: the user a token belongs to, or the user a background job acts as.</summary>
/// <param name="IsStaff">Whether the caller has staff powers in the API: a staff operator.</param>
public sealed record CallerIdentity(long UserId, string UserSlug, bool IsStaff);

/// <summary>
/// The caller of this scope. In a request it is the authenticated user; a background job sets it with
/// <see cref="ActAsAsync"/> to the user who started the work, so the same access rules
/// (<see cref="AccountAccess"/>, <see cref="UserAuthority"/>) apply to the job as to the request.
/// </summary>
public sealed class Caller(IHttpContextAccessor http, HypermediaDbContext db)
{
    private CallerIdentity? assumed;
    private CallerIdentity? authenticated;

    public CallerIdentity Identity => assumed ?? (authenticated ??= FromRequest()) ?? throw new InvalidOperationException("No caller: not in a request, and no job set one.");

    public long UserId => Identity.UserId;

    public string UserSlug => Identity.UserSlug;

    public bool IsStaff => Identity.IsStaff;

    /// <summary>
    /// Makes this scope act as the user, read fresh: a discarded user (or one that no longer exists)
    /// acts as nobody, exactly as their revoked tokens would fail.
    /// </summary>
    public async Task ActAsAsync(long userId, CancellationToken cancellationToken = default)
    {
        if (assumed is not null || http.HttpContext is not null)
        {
            throw new InvalidOperationException("The caller of a scope is set once, and never inside a request.");
        }

        assumed = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.DiscardedAt == null)
            .Select(u => new CallerIdentity(u.Id, u.Slug, u.StaffLevel == StaffLevel.Operator))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("user");
    }

    private CallerIdentity? FromRequest() =>
        http.HttpContext?.User is { Identity.IsAuthenticated: true } principal
            ? new CallerIdentity(principal.UserId(), principal.UserSlug(), principal.IsStaff())
            : null;
}
