using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Tests.Features.Carriers;

public sealed class TwilioOptionsTests
{
    /// <summary>The app with extra settings, started by the test (so that a refused start can be seen).</summary>
    private sealed class ConfiguredApiFactory(Dictionary<string, string> settings) : ApiFactory
    {
        protected override void Start()
        {
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);

            // A host whose start fails is never disposed: it must not hold pooled connections to the test cluster.
            builder.UseSetting("Database:MigrateOnStart", "false");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }

    private static async Task<Exception?> StartAsync(Dictionary<string, string> settings)
    {
        await using var factory = new ConfiguredApiFactory(settings);
        await factory.InitializeAsync();
        return Record.Exception(() => factory.Server);
    }

    [Fact]
    public async Task Twilio_as_the_default_carrier_without_its_settings_stops_the_start_naming_them()
    {
        var error = await StartAsync(new() { ["Carriers:Default"] = "twilio" });

        var invalid = Assert.IsType<OptionsValidationException>(error);
        Assert.Contains("Carriers:Twilio:AccountSid is required.", invalid.Failures);
        Assert.Contains("Carriers:Twilio:AuthToken is required.", invalid.Failures);
        Assert.Contains(invalid.Failures, f => f.StartsWith("Carriers:Twilio:PublicUrl must be", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Partly_configured_twilio_stops_the_start_even_when_it_is_not_the_default()
    {
        var error = await StartAsync(new()
        {
            ["Carriers:Twilio:AccountSid"] = TwilioApiFactory.AccountSid,
            ["Carriers:Twilio:AuthToken"] = TwilioApiFactory.AuthToken,
            ["Carriers:Twilio:PublicUrl"] = "sms.example.test/hooks",
        });

        var invalid = Assert.IsType<OptionsValidationException>(error);
        Assert.Equal(["Carriers:Twilio:PublicUrl must be the absolute http(s) URL at which Twilio reaches this server, without query or fragment."], invalid.Failures);
    }

    [Fact]
    public async Task Without_twilio_settings_the_simulator_default_starts()
    {
        var error = await StartAsync([]);

        Assert.Null(error);
    }
}
