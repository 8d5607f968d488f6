using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Platform.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c>, and Basic <c>email:token</c> as legacy
/// TextUs clients send it. Revoked tokens and discarded users' tokens fail at once.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    HypermediaDbContext db,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

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
                .Select(t => new TokenRecord(t.Id, t.SecretHash, t.LastUsedAt, t.User!.Id, t.User.Slug, t.User.Email, t.User.IsStaff))
                .SingleOrDefault());

    private sealed record TokenRecord(long Id, byte[] SecretHash, DateTimeOffset? LastUsedAt, long UserId, string Slug, string Email, bool IsStaff);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header))
        {
            return Request.Headers.Authorization.Count == 0
                ? AuthenticateResult.NoResult()
                : AuthenticateResult.Fail("Malformed Authorization header.");
        }

        if (!TryReadCredentials(header, out var email, out var token)
            || !SecretFormat.ApiToken.TryParse(token, out var tokenId, out var secret))
        {
            return AuthenticateResult.Fail("Unrecognised credentials.");
        }

        var record = await FindToken(db, tokenId, Context.RequestAborted);

        if (record is null || !SecretFormat.Matches(secret, record.SecretHash)
            || (email is not null && !string.Equals(email, record.Email, StringComparison.OrdinalIgnoreCase)))
        {
            return AuthenticateResult.Fail("Unknown, revoked or mismatched token.");
        }

        var now = clock.GetUtcNow();
        if (record.LastUsedAt is null || now - record.LastUsedAt > LastUsedResolution)
        {
            // At most once a minute per token; EF cannot compile an ExecuteUpdate, and it need not.
            await db.ApiTokens.Where(t => t.Id == record.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(CurrentUser.UserIdClaim, record.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(CurrentUser.UserSlugClaim, record.Slug),
            new Claim(CurrentUser.TokenClaim, tokenId),
            .. record.IsStaff ? [new Claim(ClaimTypes.Role, CurrentUser.StaffRole)] : Array.Empty<Claim>(),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static bool TryReadCredentials(AuthenticationHeaderValue header, out string? email, out string? token)
    {
        email = token = null;
        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            token = header.Parameter?.Trim();
            return token is not null;
        }

        if (!header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = pair.IndexOf(':');
            if (colon <= 0)
            {
                return false;
            }

            (email, token) = (pair[..colon], pair[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"hypermedia\"";
        await ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemWriter.WriteAsync(Context, StatusCodes.Status403Forbidden);
}
