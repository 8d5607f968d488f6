using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Features;

public sealed class EntryPointTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Entry_point_links_to_accounts_the_caller_and_the_api_documentation()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);

        var response = await api.ClientFor(user).GetAsync("/");
        var body = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("/contexts/EntryPoint.jsonld", (string?)body["@context"]);
        Assert.Equal("EntryPoint", (string?)body["@type"]);
        Assert.Equal("/", (string?)body["id"]);
        Assert.Equal("/accounts", (string?)body["accounts"]);
        Assert.Equal(user.Iri, (string?)body["me"]);
        Assert.Equal("/users", (string?)body["users"]);
        Assert.Equal("/api_documentation", (string?)body["apiDocumentation"]);
        Assert.Equal("/whats_app/templates", (string?)body["whatsAppTemplates"]);
        Assert.Equal(new[] { "@context", "@type", "id", "accounts", "me", "users", "staff", "whatsAppTemplates", "apiDocumentation" }.Order(), body.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Every_entry_point_link_leads_to_a_resource_of_the_documented_type()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        var client = api.ClientFor(user);
        var entryPoint = await (await client.GetAsync("/")).ExpectAsync(HttpStatusCode.OK);

        var accounts = await (await client.GetAsync((string)entryPoint["accounts"]!)).ExpectAsync(HttpStatusCode.OK);
        var me = await (await client.GetAsync((string)entryPoint["me"]!)).ExpectAsync(HttpStatusCode.OK);
        var users = await (await client.GetAsync((string)entryPoint["users"]!)).ExpectAsync(HttpStatusCode.OK);
        var documentation = await (await client.GetAsync((string)entryPoint["apiDocumentation"]!)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("hydra:Collection", (string?)accounts["@type"]);
        Assert.Equal(["/accounts/" + account.Slug], accounts.MemberIds());
        Assert.Equal("User", (string?)me["@type"]);
        Assert.Equal(user.Iri, (string?)me["id"]);
        Assert.Equal("hydra:Collection", (string?)users["@type"]);
        Assert.Equal([user.Iri], users.MemberIds());
        Assert.Equal("hydra:ApiDocumentation", (string?)documentation["@type"]);
    }

    [Fact]
    public async Task Entry_point_without_a_token_is_401_with_a_bearer_challenge()
    {
        var response = await api.CreateClient().GetAsync("/");

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("application/ld+json", "application/ld+json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/vnd.textus+jsonld", "application/vnd.textus+jsonld")]
    [InlineData("*/*", "application/ld+json")]
    [InlineData("text/html, application/json;q=0.5", "application/json")]
    public async Task Responses_come_in_the_media_type_asked_for(string accept, string expected)
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        client.DefaultRequestHeaders.Add("Accept", accept);

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Plain_json_responses_link_their_context()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        client.DefaultRequestHeaders.Add("Accept", "application/json");

        var response = await client.GetAsync("/");

        Assert.Contains(response.Headers.GetValues("Link"),
            l => l == "</contexts/EntryPoint.jsonld>; rel=\"http://www.w3.org/ns/json-ld#context\"");
    }

    [Fact]
    public async Task An_unservable_accept_header_is_406()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        client.DefaultRequestHeaders.Add("Accept", "text/html");

        var response = await client.GetAsync("/");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.NotAcceptable);
        Assert.Equal(406, (int?)problem["status"]);
        Assert.Contains("application/ld+json", (string?)problem["detail"], StringComparison.Ordinal);
    }
}
