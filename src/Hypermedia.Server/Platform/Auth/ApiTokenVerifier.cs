using System.Security.Claims;
using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Platform.Auth;

/// <summary>
/// Turns an API token into its user's principal, wherever the token comes from: the Authorization
/// header, or the dashboard's sign-in form and the cookie it sets (which holds the token's id, never its secret).
/// Revoked tokens and discarded users' tokens fail at once.
/// </summary>
public sealed class ApiTokenVerifier(HypermediaDbContext db, TimeProvider clock)
{
    /// <summary>Last-used times are kept to the minute so a busy token does not write on every request.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Every request runs this, so it is compiled once: no expression tree is built, funcletized or
    /// looked up in the query cache per request. Not cached: a revoked token fails on its next request.
    /// </summary>
    private static readonly Func<HypermediaDbContext, string, CancellationToken, Task<TokenRecord?>> FindToken =
        EF.CompileAsyncQuery((HypermediaDbContext db, string tokenId, CancellationToken cancellationToken) =>
            db.Set<ApiToken>()
                .Where(t => t.Slug == tokenId && t.RevokedAt == null && t.User!.DiscardedAt == null)
                .Select(t => new TokenRecord(t.Id, t.SecretHash, t.LastUsedAt, t.User!.Id, t.User.Slug, t.User.Email, t.User.StaffLevel))
                .SingleOrDefault());

    private sealed record TokenRecord(long Id, byte[] SecretHash, DateTimeOffset? LastUsedAt, long UserId, string Slug, string Email, StaffLevel? StaffLevel);

    /// <summary>
    /// The principal of <paramref name="token"/> (a whole token, id and secret), or null when it is
    /// malformed, unknown, revoked, or not <paramref name="email"/>'s (legacy Basic credentials name one).
    /// </summary>
    public async Task<ClaimsPrincipal?> VerifyAsync(string token, string? email, string scheme, CancellationToken cancellationToken)
    {
        if (!SecretFormat.ApiToken.TryParse(token, out var tokenId, out var secret))
        {
            return null;
        }

        var record = await FindToken(db, tokenId, cancellationToken);
        if (record is null || !SecretFormat.Matches(secret, record.SecretHash)
            || (email is not null && !string.Equals(email, record.Email, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        await TouchAsync(record, cancellationToken);
        return CurrentUser.Principal(record.UserId, record.Slug, tokenId, record.StaffLevel, scheme);
    }

    /// <summary>
    /// The principal of the token <paramref name="tokenId"/> as it stands now (its user's current staff
    /// level), for a session that proved the secret when it began; null once the token is revoked.
    /// </summary>
    public async Task<ClaimsPrincipal?> RefreshAsync(string tokenId, string scheme, CancellationToken cancellationToken)
    {
        var record = await FindToken(db, tokenId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        await TouchAsync(record, cancellationToken);
        return CurrentUser.Principal(record.UserId, record.Slug, tokenId, record.StaffLevel, scheme);
    }

    private async Task TouchAsync(TokenRecord record, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (record.LastUsedAt is null || now - record.LastUsedAt > LastUsedResolution)
        {
            // At most once a minute per token; EF cannot compile an ExecuteUpdate, and it need not.
            await db.ApiTokens.Where(t => t.Id == record.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }
    }
}
