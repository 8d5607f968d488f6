using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Hypermedia.Server.Platform.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Platform.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c>, and Basic <c>email:token</c> as legacy
/// TextUs clients send it (<see cref="ApiTokenVerifier"/> checks the token).
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenVerifier verifier)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header))
        {
            return Request.Headers.Authorization.Count == 0
                ? AuthenticateResult.NoResult()
                : AuthenticateResult.Fail("Malformed Authorization header.");
        }

        if (!TryReadCredentials(header, out var email, out var token))
        {
            return AuthenticateResult.Fail("Unrecognised credentials.");
        }

        var principal = await verifier.VerifyAsync(token!, email, SchemeName, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("Unknown, revoked or mismatched token.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
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
