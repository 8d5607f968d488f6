using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Platform.Outbound;
using Hypermedia.Server.Platform.RateLimiting;
using Microsoft.AspNetCore.Authentication;

namespace Hypermedia.Server.Platform.Startup;

public static class HypermediaServices
{
    public static WebApplicationBuilder AddHypermedia(this WebApplicationBuilder builder, string connectionString)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBody.MaxBytes);

        // Pooled: a context's services and options are built once, not per request; a returned context is reset.
        services.AddDbContextPool<HypermediaDbContext>(options => HypermediaDbContext.Configure(options, connectionString));
        services.AddSingleton(new DatabaseConnection(connectionString));

        services.AddSingleton<TimeProvider, MicrosecondTimeProvider>();
        services.AddHttpContextAccessor();
        services.AddAuthentication(ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(CurrentUser.StaffPolicy, policy => policy.RequireRole(CurrentUser.StaffRole));
        services.Configure<RateLimitOptions>(builder.Configuration.GetSection("RateLimit"));
        services.AddOutboundFetches();
        AddBrowserClients(services, builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? []);

        services.AddSingleton(provider => new ContextCatalog(ContextCatalog.DefaultDirectory, ResourceLinks.ContextTerms(provider.GetServices<IApiArea>())));
        services.AddSingleton<ApiDescriptionRegistry>();
        services.AddSingleton<ApiDocumentationBuilder>();
        services.AddSingleton<ApiDocumentationDocument>();
        services.AddTransient<IStartupFilter, ApiDocumentationStartupFilter>();
        services.AddSingleton<Iris>();
        services.AddSingleton<ResourceLinks>();
        services.AddSingleton<ReservedPaths>();

        services.AddScoped<Caller>();
        services.AddScoped<ApiTokenVerifier>();
        services.AddScoped<AccountAccess>();
        services.AddScoped<DemoSeed>();
        services.AddApiAreas(typeof(HypermediaServices).Assembly);
        return builder;
    }

    /// <summary>Headers a browser client must be able to read: Hydra discovery (Link), new resources (Location), limits.</summary>
    public static readonly string[] ExposedHeaders =
        ["Link", "Location", "ETag", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"];

    /// <summary>
    /// Browser-based Hydra clients (Alcaeus in a page) on the configured origins only; none by default.
    /// Without exposing Link they could never find the API documentation.
    /// </summary>
    private static void AddBrowserClients(IServiceCollection services, string[] origins) =>
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (origins.Length > 0)
            {
                policy.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders(ExposedHeaders);
            }
        }));
}
