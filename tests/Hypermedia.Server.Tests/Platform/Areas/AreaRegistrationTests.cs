using System.Net;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Platform.Areas;

/// <summary>
/// A tiny area defined here, in the test project, and registered the way every area is: nothing of the
/// server is edited for it, yet its route is documented, tenancy-checked and linked from the Account,
/// and the path it declares is reserved. (Its own route, under /{account}, shadows no account.)
/// </summary>
public sealed class WidgetsArea : IApiArea
{
    public const string RouteName = "accountWidgets";

    public void AddServices(IServiceCollection services) => services.AddSingleton<WidgetCounter>();

    public IEnumerable<AccountLink> AccountLinks => [new("widgets", "vocab:widgets", "The account's widgets", RouteName)];

    public IEnumerable<string> ReservedSegments => ["widget_board"];

    public void MapRoutes(AreaRoutes routes) =>
        routes.Account.MapGet("/widgets", (AccountMember member, WidgetCounter counter) =>
            Results.Json(new { account = member.Account.Slug, calls = counter.Count() }))
            .WithName(RouteName)
            .Documented("Account.widgets", "List the account's widgets")
            .Produces<HydraCollection<ContactResource>>();
}

public sealed class WidgetCounter
{
    private int count;

    public int Count() => Interlocked.Increment(ref count);
}

public sealed class WidgetsApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddApiArea(new WidgetsArea()));
    }
}

public sealed class AreaRegistrationTests(WidgetsApiFactory api) : IClassFixture<WidgetsApiFactory>
{
    [Fact]
    public async Task A_registered_area_is_linked_from_every_account_and_its_term_is_in_the_account_context()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));

        var document = await (await client.GetAsync($"/accounts/{account.Slug}")).ExpectAsync(HttpStatusCode.OK);
        var context = await (await client.GetAsync("/contexts/Account.jsonld")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal($"/{account.Slug}/widgets", (string?)document["widgets"]);
        Assert.Equal($"/{account.Slug}/contacts", (string?)document["contacts"]);
        Assert.Equal("vocab:widgets", (string?)context["@context"]!["widgets"]!["@id"]);
        Assert.Equal("@id", (string?)context["@context"]!["widgets"]!["@type"]);
    }

    [Fact]
    public async Task A_registered_areas_route_serves_members_with_its_own_services()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));

        var body = await (await client.GetAsync($"/{account.Slug}/widgets")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(account.Slug, (string?)body["account"]);
        Assert.True((int)body["calls"]! >= 1);
    }

    [Fact]
    public async Task A_registered_areas_route_is_404_to_a_non_member_and_without_a_token_401()
    {
        var account = await api.CreateAccountAsync();
        var outsider = api.ClientFor(await api.CreateUserAsync(Roles.Admin, await api.CreateAccountAsync()));

        await (await outsider.GetAsync($"/{account.Slug}/widgets")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await api.CreateClient().GetAsync($"/{account.Slug}/widgets")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_registered_areas_operation_is_documented_on_the_link_it_adds()
    {
        var documented = await api.DocumentedOperationsAsync();
        var doc = await (await api.CreateClient().GetAsync("/api_documentation")).ExpectAsync(HttpStatusCode.OK);

        Assert.Contains(documented, o => o.Method == "GET" && o.Route == "/{account}/widgets" && o.Statuses.Contains(404) && o.Statuses.Contains(401));
        var account = doc["supportedClass"]!.AsArray().Single(c => (string?)c!["id"] == "https://hypermedia.dev/vocab#Account")!;
        Assert.Contains(account["supportedProperty"]!.AsArray(), p => (string?)p!["property"]!["id"] == "https://hypermedia.dev/vocab#widgets");
    }

    [Fact]
    public void A_registered_areas_route_carries_the_tenancy_check()
    {
        var endpoint = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == WidgetsArea.RouteName);

        Assert.NotNull(endpoint.Metadata.GetMetadata<AccountScopedMetadata>());
    }

    [Theory]
    [InlineData("widget_board")]
    [InlineData("contacts")]
    [InlineData("contact_phones")]
    [InlineData("api_documentation")]
    [InlineData("hangfire")]
    public async Task Mapped_and_declared_paths_cannot_be_account_slugs(string slug)
    {
        var staff = api.ClientFor(await api.CreateUserAsync(Roles.Admin, staff: true, await api.CreateAccountAsync()));

        var problem = await (await staff.PostJsonAsync("/accounts", new { slug, name = "Shadow" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal($"'{slug}' is reserved by the API", (string?)problem["errors"]!["slug"]![0]);
    }
}
