using System.Net;
using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Features.WhatsApp;
using Hypermedia.Server.Platform.Startup;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task The_demo_account_has_whatsapp_enabled_on_its_whatsapp_number()
    {
        var demo = await api.WithDbAsync(db => db.Accounts.AsNoTracking().SingleAsync(a => a.Slug == DemoSeed.AccountSlug));

        Assert.Equal((true, (string?)WhatsAppDemo.PhoneNumber), (demo.WhatsAppEnabled, demo.WhatsAppPhoneNumber));
        Assert.NotEqual(DemoSeed.PhoneNumber, WhatsAppDemo.PhoneNumber);
    }

    [Fact]
    public async Task The_demo_has_the_seed_examples_approved_reminder_and_a_pending_template()
    {
        var client = await DemoAdminAsync();

        var reminder = await (await client.GetAsync("/whats_app/templates/dkDdrbR")).ExpectAsync(HttpStatusCode.OK);
        var pending = await (await client.GetAsync("/demo/whats_app/templates?status[]=pending")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(("dkDdrbR", "appointment_reminder", "en_US", "approved", "high"),
            ((string?)reminder["slug"], (string?)reminder["title"], (string?)reminder["language"], (string?)reminder["status"], (string?)reminder["quality"]));
        Assert.Equal(("HXabcdef1234567890abcdef1234567890", "quick_reply"), ((string?)reminder["contentSid"], (string?)reminder["contentType"]));
        Assert.Equal(["confirm", "cancel"], reminder["content"]!["quickReplies"]!.AsArray().Select(r => (string)r!["id"]!));
        Assert.Equal(["contact.firstName", "appt_date", "appt_time"], reminder["variables"]!.AsArray().Select(v => (string)v!["name"]!));
        Assert.Equal(("personalization_variable", "there"), ((string?)reminder["variables"]![0]!["type"], (string?)reminder["variables"]![0]!["fallback"]));
        Assert.Equal(["order_update"], pending["members"]!.AsArray().Select(m => (string)m!["title"]!));
    }

    [Fact]
    public async Task The_seed_examples_template_send_is_201_with_the_rendered_body_and_the_template_embedded()
    {
        var client = await DemoAdminAsync();

        var message = await (await client.PostJsonAsync("/demo/messages", new
        {
            to = "+13035551234",
            channel = "whatsapp",
            template = new { id = "dkDdrbR", variable_values = new { appt_date = "1/1", appt_time = "12:00" } },
        })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(("Message", "out", "whatsapp", "Hi there, please confirm your appointment on 1/1 at 12:00:"),
            ((string?)message["@type"], (string?)message["direction"], (string?)message["channel"], (string?)message["body"]));
        Assert.Equal(("WhatsApp::Template", "/contexts/WhatsApp::Template.jsonld", "dkDdrbR", "appointment_reminder", "approved"),
            ((string?)message["whatsAppTemplate"]!["@type"], (string?)message["whatsAppTemplate"]!["@context"], (string?)message["whatsAppTemplate"]!["slug"],
                (string?)message["whatsAppTemplate"]!["title"], (string?)message["whatsAppTemplate"]!["status"]));
    }

    [Fact]
    public async Task The_seed_examples_pending_template_is_422()
    {
        var client = await DemoAdminAsync();
        var pending = await api.WithDbAsync(db => db.WhatsAppTemplates.Where(t => t.Title == "order_update").Select(t => t.Slug).SingleAsync());

        var problem = await (await client.PostJsonAsync("/demo/messages", new { to = "+13035551234", channel = "whatsapp", template = new { id = pending } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.StartsWith("order_update is pending: only an approved template may be sent", (string?)problem["errors"]!["template.id"]![0]);
    }

    [Fact]
    public async Task The_seed_examples_missing_appt_time_is_422_naming_it()
    {
        var client = await DemoAdminAsync();

        var problem = await (await client.PostJsonAsync("/demo/messages", new
        {
            to = "+13035551234",
            channel = "whatsapp",
            template = new { id = "dkDdrbR", variable_values = new { appt_date = "1/1" } },
        })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["template.variableValues.appt_time"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    private async Task<HttpClient> DemoAdminAsync()
    {
        var token = await api.WithServicesAsync<string>(async services =>
        {
            var admin = await services.GetRequiredService<HypermediaDbContext>().Users.SingleAsync(u => u.Email == DemoSeed.AdminEmail);
            return (await services.GetRequiredService<ApiTokenIssuer>().IssueAsync(admin.Id, "test")).Token;
        });
        return api.ClientWithToken(token);
    }
}
