using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Platform.RateLimiting;
using Microsoft.AspNetCore.Authentication;

namespace Hypermedia.Server.Platform.Startup;

public static class HypermediaServices
{
    public static WebApplicationBuilder AddHypermedia(this WebApplicationBuilder builder, string connectionString)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBody.MaxBytes);

        services.AddDbContext<HypermediaDbContext>(options => HypermediaDbContext.Configure(options, connectionString));

        services.AddSingleton<TimeProvider, MicrosecondTimeProvider>();
        services.AddHttpContextAccessor();
        services.AddAuthentication(ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(CurrentUser.StaffPolicy, policy => policy.RequireRole(CurrentUser.StaffRole));
        services.Configure<RateLimitOptions>(builder.Configuration.GetSection("RateLimit"));

        services.AddSingleton(new ContextCatalog(ContextCatalog.DefaultDirectory));
        services.AddSingleton<ApiDescriptionRegistry>();
        services.AddSingleton<ApiDocumentationBuilder>();
        services.AddSingleton<ApiDocumentationDocument>();
        services.AddSingleton<Iris>();

        services.AddScoped<AccountAccess>();
        services.AddScoped<AccountCreation>();
        services.AddScoped<ApiTokenIssuer>();
        services.AddScoped<DemoSeed>();
        return builder;
    }
}
