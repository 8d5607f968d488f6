using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Errors;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Hypermedia.Server.Platform.Dashboard;

/// <summary>
/// In front of the dashboard: serves the sign-in and sign-out pages, and lets through only support
/// staff, by the bearer header or the session cookie. Anyone else gets the sign-in page (a browser's
/// GET) or a 401 problem; a user who is not staff, a 403.
/// </summary>
public sealed class DashboardGate(IAntiforgery antiforgery, ApiTokenVerifier verifier) : IMiddleware
{
    public const string SignInPath = "/sign-in";
    public const string SignOutPath = "/sign-out";
    private const string ReturnParameter = "returnUrl";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase))
        {
            await SignInAsync(context);
            return;
        }

        if (path.Equals(SignOutPath, StringComparison.OrdinalIgnoreCase))
        {
            await SignOutAsync(context);
            return;
        }

        if (await StaffLevelAsync(context) is not null)
        {
            context.Response.Headers.CacheControl = "no-store";
            await next(context);
            return;
        }

        await RefuseAsync(context);
    }

    /// <summary>The caller's staff level: from the bearer header (already authenticated), else from the session cookie.</summary>
    private static async Task<StaffLevel?> StaffLevelAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            var session = await context.AuthenticateAsync(StaffDashboard.CookieScheme);
            if (session.Succeeded)
            {
                context.User = session.Principal;
            }
        }

        return context.User.StaffLevelOf();
    }

    private static async Task RefuseAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            await ProblemWriter.WriteAsync(context, StatusCodes.Status403Forbidden, "The jobs dashboard is for support staff only.");
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method) && AcceptsHtml(context.Request))
        {
            var back = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            context.Response.Redirect($"{context.Request.PathBase}{SignInPath}?{ReturnParameter}={Uri.EscapeDataString(back)}");
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"hypermedia\"";
        await ProblemWriter.WriteAsync(context, StatusCodes.Status401Unauthorized,
            "Sign in at the dashboard's sign-in page, or send a staff API token as a bearer token.");
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(value => value?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    private async Task SignInAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            var back = LocalReturnUrl(context, request.Query[ReturnParameter].FirstOrDefault());
            await WritePageAsync(context, StatusCodes.Status200OK, SignInPage.Form(Tokens(context), back, error: null));
            return;
        }

        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType)
        {
            await ProblemWriter.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "Sign in with the form: GET shows it, POST submits it.");
            return;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        var returnUrl = LocalReturnUrl(context, form[ReturnParameter].FirstOrDefault());
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            await WritePageAsync(context, StatusCodes.Status400BadRequest,
                SignInPage.Form(Tokens(context), returnUrl, "The form was not sent from this page, or it expired. Sign in again."));
            return;
        }

        var token = form["token"].FirstOrDefault()?.Trim();
        var principal = string.IsNullOrEmpty(token)
            ? null
            : await verifier.VerifyAsync(token, email: null, StaffDashboard.CookieScheme, context.RequestAborted);
        if (principal is null)
        {
            await WritePageAsync(context, StatusCodes.Status401Unauthorized,
                SignInPage.Form(Tokens(context), returnUrl, "That token is unknown, revoked, or its user is discarded."));
            return;
        }

        if (principal.StaffLevelOf() is null)
        {
            await WritePageAsync(context, StatusCodes.Status403Forbidden,
                SignInPage.Form(Tokens(context), returnUrl, "That token's user is not support staff. Ask a staff operator for access."));
            return;
        }

        await context.SignInAsync(StaffDashboard.CookieScheme, principal);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = returnUrl;
    }

    private async Task SignOutAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            await WritePageAsync(context, StatusCodes.Status200OK, SignInPage.SignOut(Tokens(context)));
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            await ProblemWriter.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "Sign out with the form: GET shows it, POST submits it.");
            return;
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            await WritePageAsync(context, StatusCodes.Status400BadRequest, SignInPage.SignOut(Tokens(context)));
            return;
        }

        await context.SignOutAsync(StaffDashboard.CookieScheme);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = $"{request.PathBase}{SignInPath}";
    }

    private string? Tokens(HttpContext context) => antiforgery.GetAndStoreTokens(context).RequestToken;

    /// <summary>Where to go after signing in: a path under the dashboard only (never another site), else its home.</summary>
    private static string LocalReturnUrl(HttpContext context, string? candidate)
    {
        var home = context.Request.PathBase.Value ?? "/";
        var underHome = candidate is not null && (candidate == home || candidate.StartsWith(home + "/", StringComparison.Ordinal));
        return underHome && !candidate!.Contains("//", StringComparison.Ordinal) && !candidate.Contains('\\', StringComparison.Ordinal)
            ? candidate
            : home;
    }

    private static async Task WritePageAsync(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Frame-Options"] = "DENY";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }
}
