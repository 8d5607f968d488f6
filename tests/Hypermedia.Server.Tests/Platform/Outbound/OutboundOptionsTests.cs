using Hypermedia.Server.Platform.Outbound;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Tests.Platform.Outbound;

public sealed class OutboundOptionsTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddOutboundFetches();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_defaults_allow_nothing_follow_3_redirects_and_wait_10_seconds()
    {
        using var services = Services([]);

        var options = services.GetRequiredService<IOptions<OutboundOptions>>().Value;

        Assert.Empty(options.AllowedAddresses);
        Assert.Equal(3, options.MaxRedirects);
        Assert.Equal(10, options.TimeoutSeconds);
    }

    [Fact]
    public async Task The_fetcher_is_one_singleton_configured_from_the_outbound_section()
    {
        await using var server = await LoopbackFileServer.StartAsync();
        server.Serve("/a.txt", [42]);
        using var services = Services(new() { ["Outbound:AllowedAddresses:0"] = "192.0.2.0/24", ["Outbound:AllowedAddresses:1"] = "127.0.0.1" });

        var fetcher = services.GetRequiredService<OutboundFetcher>();
        var file = await fetcher.FetchAsync(server.Url("/a.txt"), 10, CancellationToken.None);

        Assert.Same(fetcher, services.GetRequiredService<OutboundFetcher>());
        Assert.Equal([42], file.Content);
    }

    [Fact]
    public void A_bad_setting_is_refused_naming_it()
    {
        using var services = Services(new()
        {
            ["Outbound:AllowedAddresses:0"] = "127.0.0.1",
            ["Outbound:AllowedAddresses:1"] = "localhost",
            ["Outbound:AllowedAddresses:2"] = "10.0.0.1/8",
            ["Outbound:MaxRedirects"] = "-1",
            ["Outbound:TimeoutSeconds"] = "0",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<OutboundOptions>>().Value);

        Assert.Equal(
            [
                "Outbound:AllowedAddresses has \"localhost\", which is neither an IP address nor a CIDR range such as 10.1.0.0/16 (no bits set after the prefix).",
                "Outbound:AllowedAddresses has \"10.0.0.1/8\", which is neither an IP address nor a CIDR range such as 10.1.0.0/16 (no bits set after the prefix).",
                "Outbound:MaxRedirects must be between 0 and 20.",
                "Outbound:TimeoutSeconds must be between 1 and 300.",
            ],
            error.Failures);
    }
}

/// <summary>The app itself registers the fetcher (HypermediaServices), allowing no address that is not public.</summary>
public sealed class OutboundRegistrationTests(DefaultGuardApiFactory api) : IClassFixture<DefaultGuardApiFactory>
{
    [Fact]
    public void The_app_has_one_fetcher()
    {
        var fetcher = api.Services.GetRequiredService<OutboundFetcher>();

        Assert.Same(fetcher, api.Services.GetRequiredService<OutboundFetcher>());
        Assert.Empty(api.Services.GetRequiredService<IOptions<OutboundOptions>>().Value.AllowedAddresses);
    }
}
