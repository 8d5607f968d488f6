using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Platform.Collections;

/// <summary><c>q</c> is literal text: % and _ match themselves, not "anything" and "any character".</summary>
public sealed class LiteralSearchTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(string Account, HttpClient Client)> AdminAsync()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        return (account.Slug, api.ClientFor(admin));
    }

    private static async Task<string[]> NamesAsync(HttpClient client, string url, string field = "name") =>
        (await (await client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK))["members"]!.AsArray().Select(m => (string)m![field]!).Order().ToArray();

    [Fact]
    public async Task Contacts_q_matches_underscore_and_percent_literally()
    {
        var (account, client) = await AdminAsync();
        foreach (var (name, number) in new[] { ("under_score", "3035550121"), ("underXscore", "3035550122"), ("100% real", "3035550123"), ("plain", "3035550124") })
        {
            await (await client.PostJsonAsync($"/{account}/contacts", new { name, phones = new[] { new { number } } })).ExpectAsync(HttpStatusCode.Created);
        }

        Assert.Equal(["under_score"], await NamesAsync(client, $"/{account}/contacts?q=under_score"));
        Assert.Equal(["100% real"], await NamesAsync(client, $"/{account}/contacts?q=%25"));
        Assert.Equal(["under_score"], await NamesAsync(client, $"/{account}/contacts?q=_"));
        Assert.Equal(["under_score"], await NamesAsync(client, $"/{account}/contact_filters/all/contacts?q=r_s"));
    }

    [Fact]
    public async Task Opt_outs_q_matches_underscore_and_percent_literally()
    {
        var (account, client) = await AdminAsync();
        await (await client.PutAsync($"/{account}/opt_outs/+13035550131", null)).ExpectAsync(HttpStatusCode.Created);
        await (await client.PutAsync($"/{account}/opt_outs/+17205550132", null)).ExpectAsync(HttpStatusCode.Created);

        Assert.Empty(await NamesAsync(client, $"/{account}/opt_outs?q=under_score", "phoneNumber"));
        Assert.Empty(await NamesAsync(client, $"/{account}/opt_outs?q=%25%25%25", "phoneNumber"));
        Assert.Empty(await NamesAsync(client, $"/{account}/opt_outs?q=___", "phoneNumber"));
        Assert.Equal(["+17205550132"], await NamesAsync(client, $"/{account}/opt_outs?q=(720)", "phoneNumber"));
    }

    [Fact]
    public async Task Users_and_accounts_q_match_underscore_literally()
    {
        var (account, client) = await AdminAsync();
        await (await client.PostJsonAsync("/users", new { name = "snake_case", email = "snake@literal.example", memberships = new[] { new { account = "/accounts/" + account, role = "user" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync("/users", new { name = "snakeXcase", email = "other@literal.example", memberships = new[] { new { account = "/accounts/" + account, role = "user" } } }))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(["snake_case"], await NamesAsync(client, "/users?q=e_c"));
        Assert.Empty(await NamesAsync(client, "/accounts?q=%25%25"));
    }
}
