using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Dashboard;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Platform.RateLimiting;

namespace Hypermedia.Server.Platform.Startup;

public static class HypermediaPipeline
{
    /// <summary>
    /// Order matters: errors outermost so every failure becomes a problem document; a configured proxy's
    /// scheme and client address next, before anything reads them; the documentation
    /// link before anything can answer; the rate limit after authentication so it counts per token; the jobs dashboard after both
    /// (its gate reads the bearer principal), before the API's authorization.
    /// </summary>
    public static WebApplication UseHypermedia(this WebApplication app)
    {
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseProxyHeaders();
        app.UseMiddleware<ApiDocumentationLinkMiddleware>();
        app.UseMiddleware<HeadRequestMiddleware>();
        app.UseStatusCodePages(context => ProblemWriter.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode));
        app.UseMiddleware<NulCharacterGuardMiddleware>();
        app.UseRouting();
        app.UseCors();
        app.UseAuthentication();
        app.UseMiddleware<RateLimitMiddleware>();
        StaffDashboard.UseStaffDashboard(app);
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapHypermediaApi(this WebApplication app)
    {
        app.MapHydraApi();
        app.MapApiAreas();
        return app;
    }
}
