using System.Net;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

/// <summary>ETag on reads, If-Match on writes (412 when stale), on contacts and on accounts.</summary>
public sealed class ConditionalRequestsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(string Iri, string Slug, HttpClient Client)> ContactAsync()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        var created = await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "Ann Original", phones = new[] { new { number = "+13035550170" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        var iri = (string)created["id"]!;
        return (iri, iri.Split('/')[^1], client);
    }

    private static string ETagOf(HttpResponseMessage response) =>
        response.Headers.ETag?.ToString() ?? throw new Xunit.Sdk.XunitException($"No ETag on {(int)response.StatusCode}.");

    private Task<string> StoredNameAsync(string slug) =>
        api.WithDbAsync(db => db.Contacts.Where(c => c.Slug == slug).Select(c => c.Name).SingleAsync());

    [Fact]
    public async Task A_contact_has_a_strong_etag_that_changes_with_every_write()
    {
        var (iri, _, client) = await ContactAsync();

        var before = ETagOf(await client.GetAsync(iri));
        var put = await client.PutJsonAsync(iri, new { name = "Ann Changed" });
        var after = ETagOf(await client.GetAsync(iri));

        Assert.Matches("^\"[0-9a-f]{16}\"$", before);
        Assert.NotEqual(before, after);
        Assert.Equal(after, ETagOf(put));
        Assert.Equal(after, ETagOf(await client.GetAsync(iri)));
    }

    [Fact]
    public async Task A_put_with_a_stale_if_match_is_412_with_the_current_etag_and_changes_nothing()
    {
        var (iri, slug, client) = await ContactAsync();
        var stale = ETagOf(await client.GetAsync(iri));
        var current = ETagOf(await client.PutJsonAsync(iri, new { name = "Ann Second" }));

        var response = await client.SendIfMatchAsync(HttpMethod.Put, iri, stale, new { name = "Ann Lost Update" });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("https://hypermedia.dev/problems/precondition-failed", (string?)problem["type"]);
        Assert.Contains(current, (string?)problem["detail"]);
        Assert.Equal(current, ETagOf(response));
        Assert.Equal("Ann Second", await StoredNameAsync(slug));
    }

    [Fact]
    public async Task A_put_with_the_current_etag_succeeds_and_answers_the_next_one()
    {
        var (iri, slug, client) = await ContactAsync();
        var current = ETagOf(await client.GetAsync(iri));

        var response = await client.SendIfMatchAsync(HttpMethod.Put, iri, current, new { name = "Ann Third" });

        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Ann Third", (string?)body["name"]);
        Assert.NotEqual(current, ETagOf(response));
        Assert.Equal("Ann Third", await StoredNameAsync(slug));
    }

    [Fact]
    public async Task A_delete_with_a_stale_if_match_is_412_and_keeps_the_contact_and_the_current_one_deletes()
    {
        var (iri, slug, client) = await ContactAsync();
        var stale = ETagOf(await client.GetAsync(iri));
        var current = ETagOf(await client.PutJsonAsync(iri, new { name = "Ann Kept" }));

        await (await client.SendIfMatchAsync(HttpMethod.Delete, iri, stale)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("Ann Kept", await StoredNameAsync(slug));

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendIfMatchAsync(HttpMethod.Delete, iri, current)).StatusCode);
        Assert.False(await api.WithDbAsync(db => db.Contacts.AnyAsync(c => c.Slug == slug)));
    }

    [Theory]
    [InlineData("*", HttpStatusCode.OK)]
    [InlineData("\"0000000000000000\", {current}", HttpStatusCode.OK)]
    [InlineData("W/{current}", HttpStatusCode.PreconditionFailed)]
    [InlineData("\"0000000000000000\"", HttpStatusCode.PreconditionFailed)]
    [InlineData("not-quoted", HttpStatusCode.BadRequest)]
    public async Task If_match_compares_strongly_accepts_a_list_and_star_and_refuses_malformed_tags(string ifMatch, HttpStatusCode expected)
    {
        var (iri, _, client) = await ContactAsync();
        var current = ETagOf(await client.GetAsync(iri));

        var response = await client.SendIfMatchAsync(HttpMethod.Put, iri, ifMatch.Replace("{current}", current, StringComparison.Ordinal), new { name = "Ann Tagged" });

        if (expected == HttpStatusCode.OK)
        {
            await response.ExpectAsync(expected);
        }
        else
        {
            await response.ExpectProblemAsync(expected);
        }
    }

    [Fact]
    public async Task Parallel_puts_holding_the_same_etag_let_exactly_one_through()
    {
        var (iri, slug, client) = await ContactAsync();
        var etag = ETagOf(await client.GetAsync(iri));

        var responses = await Concurrently.SendAsync(20, i => client.SendIfMatchAsync(HttpMethod.Put, iri, etag, new { name = "Writer " + i }));

        Assert.Equal(new Dictionary<int, int> { [200] = 1, [412] = 19 }, responses.CountByStatus());
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).JsonAsync();
        Assert.Equal((string?)winner["name"], await StoredNameAsync(slug));
    }

    private async Task<(string Iri, HttpClient Client)> AdminAccountAsync()
    {
        var account = await api.CreateAccountAsync();
        return ("/accounts/" + account.Slug, api.ClientFor(await api.CreateUserAsync(Roles.Admin, account)));
    }

    [Fact]
    public async Task An_account_patch_honours_if_match_like_a_contact_put()
    {
        var (iri, client) = await AdminAccountAsync();
        var stale = ETagOf(await client.GetAsync(iri));
        var current = ETagOf(await client.PatchJsonAsync(iri, new { name = "Second Name" }));

        await (await client.SendIfMatchAsync(HttpMethod.Patch, iri, stale, new { name = "Lost Name" })).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        var response = await client.SendIfMatchAsync(HttpMethod.Patch, iri, current, new { name = "Third Name" });

        Assert.Equal("Third Name", (string?)(await response.ExpectAsync(HttpStatusCode.OK))["name"]);
        Assert.NotEqual(current, ETagOf(response));
        Assert.Equal(ETagOf(response), ETagOf(await client.GetAsync(iri)));
    }

    [Fact]
    public async Task Parallel_account_patches_of_different_settings_lose_none_that_were_answered_200()
    {
        var (iri, client) = await AdminAccountAsync();

        var responses = await Concurrently.SendAsync(20, i => client.PatchJsonAsync(iri, new { settings = new JsonObject { ["key" + i] = i } }));

        var statuses = responses.CountByStatus();
        Assert.All(statuses.Keys, s => Assert.Contains(s, new[] { 200, 409 }));
        var settings = (await (await client.GetAsync(iri)).ExpectAsync(HttpStatusCode.OK))["settings"]!.AsObject();
        var saved = Enumerable.Range(0, 20).Where(i => responses[i].StatusCode == HttpStatusCode.OK).Select(i => "key" + i);
        Assert.Equal(saved.Order(), settings.Select(p => p.Key).Where(k => k.StartsWith("key", StringComparison.Ordinal)).Order());
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            await conflict.ExpectProblemAsync(HttpStatusCode.Conflict);
        }
    }
}
