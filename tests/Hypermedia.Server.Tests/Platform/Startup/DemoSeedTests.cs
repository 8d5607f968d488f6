using Hypermedia.Server.Platform.Startup;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Platform.Startup;

/// <summary>The app as it starts by default in an environment: nothing said about the demo seed.</summary>
public abstract class DefaultSeedApiFactory(string environment) : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(environment);
        builder.UseSetting("Database:SeedDemo", null);
    }
}

public sealed class ProductionApiFactory() : DefaultSeedApiFactory("Production");

public sealed class DevelopmentApiFactory() : DefaultSeedApiFactory("Development");

public sealed class ProductionDemoSeedTests(ProductionApiFactory api) : IClassFixture<ProductionApiFactory>
{
    [Fact]
    public async Task A_production_start_never_seeds_the_demo_account_unless_asked() =>
        Assert.False(await api.WithDbAsync(db => db.Accounts.AnyAsync(a => a.Slug == DemoSeed.AccountSlug)));
}

public sealed class DevelopmentDemoSeedTests(DevelopmentApiFactory api) : IClassFixture<DevelopmentApiFactory>
{
    [Fact]
    public async Task A_development_start_seeds_the_demo_account() =>
        Assert.True(await api.WithDbAsync(db => db.Accounts.AnyAsync(a => a.Slug == DemoSeed.AccountSlug)));
}
