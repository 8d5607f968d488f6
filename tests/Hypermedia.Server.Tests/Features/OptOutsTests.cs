using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

public sealed class OptOutsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(string Account, long AccountId, HttpClient Client, TestUser User)> MemberAsync()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        return (account.Slug, account.Id, api.ClientFor(user), user);
    }

    [Fact]
    public async Task Put_opts_a_number_out_with_201_then_200()
    {
        var (account, _, client, user) = await MemberAsync();

        var first = await client.PutAsync($"/{account}/opt_outs/(303)%20555-1234", null);
        var body = await first.ExpectAsync(HttpStatusCode.Created);
        var again = await client.PutAsync($"/{account}/opt_outs/+13035551234", null);

        Assert.Equal("OptOut", (string?)body["@type"]);
        Assert.Equal("+13035551234", (string?)body["phoneNumber"]);
        Assert.Equal("(303) 555-1234", (string?)body["formattedPhoneNumber"]);
        Assert.Equal("User", (string?)body["createdVia"]);
        Assert.Equal(user.Iri, (string?)body["user"]);
        Assert.Equal("/accounts/" + account, (string?)body["originatingAccount"]!["id"]);
        Assert.Equal($"/{account}/opt_outs/%2B13035551234", (string?)body["id"]);
        Assert.Equal((string?)body["id"], first.Headers.Location?.OriginalString);
        await again.ExpectAsync(HttpStatusCode.OK);
        var fetched = await (await client.GetAsync((string)body["id"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((string?)body["createdAt"], (string?)fetched["createdAt"]);
    }

    [Fact]
    public async Task Delete_opts_back_in_and_every_change_stays_in_the_history()
    {
        var (account, accountId, client, _) = await MemberAsync();
        var iri = $"/{account}/opt_outs/+13035551235";
        await (await client.PutAsync(iri, null)).ExpectAsync(HttpStatusCode.Created);

        var deleted = await client.DeleteAsync(iri);
        await (await client.PutAsync(iri, null)).ExpectAsync(HttpStatusCode.Created);
        await client.DeleteAsync(iri);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await client.GetAsync(iri)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync(iri)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var history = await (await client.GetAsync(iri + "/history")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["opt_in", "opt_out", "opt_in", "opt_out"], history["members"]!.AsArray().Select(e => (string)e!["action"]!));
        Assert.All(history["members"]!.AsArray(), e => Assert.Equal("OptOutEvent", (string?)e!["@type"]));
        Assert.Equal(4, await api.WithDbAsync(db => db.OptOutEvents.CountAsync(e => e.AccountId == accountId)));
    }

    [Fact]
    public async Task Tel_and_whatsapp_urns_name_the_same_opt_out()
    {
        var (account, _, client, _) = await MemberAsync();

        var created = await (await client.PutAsync($"/{account}/opt_outs/tel:%2B1-303-555-1236", null)).ExpectAsync(HttpStatusCode.Created);
        var again = await (await client.PutAsync($"/{account}/opt_outs/whatsapp:%2B13035551236", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("+13035551236", (string?)created["phoneNumber"]);
        Assert.Equal((string?)created["id"], (string?)again["id"]);
    }

    [Fact]
    public async Task An_invalid_number_is_422_naming_it()
    {
        var (account, _, client, _) = await MemberAsync();

        var problem = await (await client.PutAsync($"/{account}/opt_outs/12345", null)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("12345", string.Join(" ", problem["errors"]!["phone"].Strings()));
    }

    [Fact]
    public async Task Listing_filters_by_q_of_three_or_more_characters_and_exact_numbers()
    {
        var (account, _, client, _) = await MemberAsync();
        foreach (var number in new[] { "+13035550001", "+13035550002", "+17205550003" })
        {
            await (await client.PutAsync($"/{account}/opt_outs/{number}", null)).ExpectAsync(HttpStatusCode.Created);
        }

        var all = await (await client.GetAsync($"/{account}/opt_outs")).ExpectAsync(HttpStatusCode.OK);
        var byQ = await (await client.GetAsync($"/{account}/opt_outs?q=720")).ExpectAsync(HttpStatusCode.OK);
        var exact = await (await client.GetAsync($"/{account}/opt_outs?exact[]=303-555-0001&exact[]=%2B17205550003")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(3, (int?)all["totalItems"]);
        Assert.Equal(["+17205550003"], byQ["members"]!.AsArray().Select(o => (string)o!["phoneNumber"]!));
        Assert.Equal(new[] { "+13035550001", "+17205550003" }.Order(), exact["members"]!.AsArray().Select(o => (string)o!["phoneNumber"]!).Order());
        var shortQ = await (await client.GetAsync($"/{account}/opt_outs?q=72")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(shortQ["errors"]!["q"]);
        var badExact = await (await client.GetAsync($"/{account}/opt_outs?exact[]=nope")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(badExact["errors"]!["exact[0]"]);
    }

    [Fact]
    public async Task Opt_outs_of_one_account_do_not_apply_to_another()
    {
        var (first, _, firstClient, _) = await MemberAsync();
        var (second, _, secondClient, _) = await MemberAsync();

        await (await firstClient.PutAsync($"/{first}/opt_outs/+13035550009", null)).ExpectAsync(HttpStatusCode.Created);

        await (await secondClient.GetAsync($"/{second}/opt_outs/+13035550009")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
