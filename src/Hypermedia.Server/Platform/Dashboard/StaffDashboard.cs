using Hangfire;
using Hangfire.Dashboard;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Platform.Jobs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace Hypermedia.Server.Platform.Dashboard;

/// <summary>
/// Hangfire's dashboard at <c>/hangfire</c>, for support staff only: viewers read it, operators may also
/// requeue, delete and trigger. A browser signs in with a staff API token at <c>/hangfire/sign-in</c>
/// and gets a session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS, scoped to the dashboard);
/// scripts may send the token as a bearer header instead. Antiforgery guards every form and action.
/// </summary>
/// <remarks>
/// The cookie and the antiforgery tokens are protected by Data Protection keys kept in PostgreSQL, so
/// every server sharing the database reads the cookies of the others and restarts keep sessions.
/// </remarks>
public sealed class StaffDashboard : IApiArea
{
    public const string CookieScheme = "StaffDashboard";
    public const string CookieName = "hypermedia.staff";
    public const string AntiforgeryCookieName = "hypermedia.antiforgery";
    public const string AntiforgeryField = "__antiforgery";
    public const string Title = "Hypermedia · Jobs";

    /// <summary>How long a dashboard session lasts without use (sliding).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    private static readonly Lock Registration = new();
    private static bool registered;

    public IEnumerable<string> ReservedSegments => [JobsOptions.DashboardPath.TrimStart('/')];

    public void AddServices(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Hypermedia").PersistKeysToDbContext<HypermediaDbContext>();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            options.Cookie.Path = JobsOptions.DashboardPath;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = AntiforgeryField;
        });
        services.AddAuthentication().AddCookie(CookieScheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.Path = JobsOptions.DashboardPath;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = SessionLifetime;
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = RevalidateAsync;
        });
        services.AddTransient<DashboardGate>();
    }

    public void MapRoutes(AreaRoutes routes)
    {
    }

    /// <summary>
    /// A session is only as good as its token and its user's staff level now: each request re-reads
    /// both, so revoking the token or the level ends the session on its next request.
    /// </summary>
    private static async Task RevalidateAsync(CookieValidatePrincipalContext context)
    {
        var tokenId = context.Principal?.TokenId();
        var verifier = context.HttpContext.RequestServices.GetRequiredService<ApiTokenVerifier>();
        var fresh = tokenId is null ? null : await verifier.RefreshAsync(tokenId, CookieScheme, context.HttpContext.RequestAborted);
        if (fresh?.StaffLevelOf() is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        context.ReplacePrincipal(fresh);
    }

    /// <summary>Mounts the dashboard behind its gate; call after authentication.</summary>
    public static IApplicationBuilder UseStaffDashboard(IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        RegisterOnce(services.GetServices<IApiArea>());
        var options = new DashboardOptions
        {
            DashboardTitle = Title,
            AppPath = ApiDocumentationBuilder.Path,
            Authorization = [],
            AsyncAuthorization = [new StaffOnly()],
            IsReadOnlyFunc = context => context.GetHttpContext().User.StaffLevelOf() != StaffLevel.Operator,
            DisplayStorageConnectionString = false,
        };
        var storage = services.GetRequiredService<JobStorage>();
        var routes = services.GetRequiredService<Hangfire.Dashboard.RouteCollection>();
        return app.Map(JobsOptions.DashboardPath, dashboard => dashboard
            .UseMiddleware<DashboardGate>()
            .UseMiddleware<AspNetCoreDashboardMiddleware>(storage, options, routes));
    }

    /// <summary>
    /// Hangfire keeps its routes, menu and job-page renderers in process-wide lists: the pages and the
    /// progress box are added once, however many hosts a process builds (the tests build many).
    /// </summary>
    private static void RegisterOnce(IEnumerable<IApiArea> areas)
    {
        lock (Registration)
        {
            if (registered)
            {
                return;
            }

            foreach (var page in areas.SelectMany(a => a.DashboardPages))
            {
                DashboardRoutes.Routes.AddRazorPage(page.Path, _ => page.Create());
                NavigationMenu.Items.Add(razor => new MenuItem(page.Title, razor.Url.To(page.Path))
                {
                    Active = razor.RequestPath.StartsWith(page.Path, StringComparison.OrdinalIgnoreCase),
                });
            }

            NavigationMenu.Items.Add(razor => new MenuItem("Sign out", razor.Url.To(DashboardGate.SignOutPath)));
            GlobalConfiguration.Configuration.UseJobDetailsRenderer(10, JobProgress.RenderJobBox);
            registered = true;
        }
    }

    /// <summary>Hangfire's own check, behind the gate's: the caller has a staff level.</summary>
    private sealed class StaffOnly : IDashboardAsyncAuthorizationFilter
    {
        public Task<bool> AuthorizeAsync(DashboardContext context) =>
            Task.FromResult(context.GetHttpContext().User.StaffLevelOf() is not null);
    }
}
