using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Features;

public sealed class ContactFiltersTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_built_in_filters_are_listed_and_each_links_its_contacts()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));

        var body = await (await client.GetAsync($"/{account.Slug}/contact_filters")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["all", "blocked", "opted_out"], body["members"]!.AsArray().Select(f => (string)f!["slug"]!));
        var all = body["members"]![0]!;
        Assert.Equal("ContactFilter", (string?)all["@type"]);
        Assert.Equal($"/{account.Slug}/contact_filters/all/contacts", (string?)all["contacts"]);
        Assert.Null(all["path"]);
    }

    [Fact]
    public async Task Filters_sort_contacts_into_all_blocked_and_opted_out()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        async Task<string> Create(string name, string number) =>
            (string)(await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name, phones = new[] { new { number } } })).ExpectAsync(HttpStatusCode.Created))["id"]!;
        await Create("Ann Active", "3035550301");
        var blocked = await Create("Bob Blocked", "3035550302");
        await Create("Olga Optout", "3035550303");
        await (await client.PutAsync(blocked + "/block", null)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutAsync($"/{account.Slug}/opt_outs/+13035550303", null)).ExpectAsync(HttpStatusCode.Created);

        async Task<string[]> Names(string filter, string query = "") =>
            (await (await client.GetAsync($"/{account.Slug}/contact_filters/{filter}/contacts{query}")).ExpectAsync(HttpStatusCode.OK))["members"]!
                .AsArray().Select(c => (string)c!["name"]!).ToArray();

        Assert.Equal(["Ann Active", "Olga Optout"], await Names("all"));
        Assert.Equal(["Bob Blocked"], await Names("blocked"));
        Assert.Equal(["Olga Optout"], await Names("opted_out"));
        Assert.Equal(["Olga Optout"], await Names("all", "?q=olga"));
        Assert.Equal(["Ann Active"], await Names("all", "?$filter=startswith(name,'Ann')"));
    }

    [Fact]
    public async Task A_filter_carries_q_into_its_contacts_link_and_an_unknown_filter_is_404()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));

        var filter = await (await client.GetAsync($"/{account.Slug}/contact_filters/all?q=lucille")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal($"/{account.Slug}/contact_filters/all?q=lucille", (string?)filter["id"]);
        Assert.Equal($"/{account.Slug}/contact_filters/all/contacts?q=lucille", (string?)filter["contacts"]);
        await (await client.GetAsync($"/{account.Slug}/contact_filters/nope")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/{account.Slug}/contact_filters/nope/contacts")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
