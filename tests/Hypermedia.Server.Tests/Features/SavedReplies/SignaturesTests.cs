using System.Net;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.BulkSends;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features.SavedReplies;

/// <summary>
/// Signatures: one per user, written by the user alone, read by those who see the user, and appended after a
/// line break to the bodies the user sends while <c>settings.appendSignature</c> is on, within the length rule.
/// </summary>
public sealed class SignaturesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(Account Account, TestUser User, HttpClient Client)> MemberAsync()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        return (account, user, api.ClientFor(user));
    }

    private static async Task SignAsync(HttpClient client, TestUser user, string content, bool append)
    {
        await (await client.PostJsonAsync(user.Iri + "/signature", new { content })).ExpectAsync(HttpStatusCode.Created);
        await (await client.PutJsonAsync(user.Iri, new { settings = new { appendSignature = append } })).ExpectAsync(HttpStatusCode.OK);
    }

    private static string Error(JsonNode problem, string field) => string.Join(" ", problem["errors"]![field]!.AsArray().Select(e => (string?)e));

    [Fact]
    public async Task A_user_creates_reads_changes_and_deletes_their_signature()
    {
        var (_, user, client) = await MemberAsync();

        var before = await client.GetAsync(user.Iri + "/signature");
        var created = await client.PostJsonAsync(user.Iri + "/signature", new { content = "Naomi Nagata" });
        var signature = await created.ExpectAsync(HttpStatusCode.Created);
        var again = await client.PostJsonAsync(user.Iri + "/signature", new { content = "Twice" });
        var changed = await (await client.PutJsonAsync(user.Iri + "/signature", new { content = "Naomi N." })).ExpectAsync(HttpStatusCode.OK);
        var read = await (await client.GetAsync(user.Iri + "/signature")).ExpectAsync(HttpStatusCode.OK);
        var deleted = await client.DeleteAsync(user.Iri + "/signature");
        var after = await client.GetAsync(user.Iri + "/signature");
        var putMissing = await client.PutJsonAsync(user.Iri + "/signature", new { content = "Gone" });

        await before.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Signature", (string?)signature["@type"]);
        Assert.Equal("/contexts/Signature.jsonld", (string?)signature["@context"]);
        Assert.Equal(user.Iri + "/signature", (string?)signature["id"]);
        Assert.Equal("Naomi Nagata", (string?)signature["content"]);
        Assert.Equal(user.Iri, (string?)signature["user"]);
        Assert.Contains("already have a signature", (string?)(await again.ExpectProblemAsync(HttpStatusCode.Conflict))["detail"]);
        Assert.Equal("Naomi N.", (string?)changed["content"]);
        Assert.Equal("Naomi N.", (string?)read["content"]);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await after.ExpectProblemAsync(HttpStatusCode.NotFound);
        await putMissing.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await api.WithDbAsync(db => db.Signatures.CountAsync(s => s.UserId == user.Id)));
    }

    [Fact]
    public async Task The_user_links_to_it_and_their_saved_replies()
    {
        var (_, user, client) = await MemberAsync();

        var document = await (await client.GetAsync(user.Iri)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(user.Iri + "/signature", (string?)document["signature"]);
        Assert.Equal(user.Iri + "/saved_replies", (string?)document["savedReplies"]);
        Assert.False((bool?)document["settings"]!["appendSignature"]);
    }

    [Fact]
    public async Task Only_the_user_writes_it_admins_of_their_account_read_it_and_strangers_find_nothing()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        var admin = api.ClientFor(await api.CreateUserAsync(Roles.Admin, account));
        var stranger = api.ClientFor(await api.CreateUserAsync(Roles.Admin, await api.CreateAccountAsync()));
        await (await api.ClientFor(user).PostJsonAsync(user.Iri + "/signature", new { content = "Mine" })).ExpectAsync(HttpStatusCode.Created);

        await (await admin.GetAsync(user.Iri + "/signature")).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PutJsonAsync(user.Iri + "/signature", new { content = "Admin's" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.DeleteAsync(user.Iri + "/signature")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await stranger.GetAsync(user.Iri + "/signature")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PostJsonAsync(user.Iri + "/signature", new { content = "Stranger's" })).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("Mine", await api.WithDbAsync(db => db.Signatures.Where(s => s.UserId == user.Id).Select(s => s.Content).SingleAsync()));
    }

    [Fact]
    public async Task Content_is_required_and_at_most_255_characters()
    {
        var (_, user, client) = await MemberAsync();

        var empty = await (await client.PostJsonAsync(user.Iri + "/signature", new { content = " " })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var long_ = await (await client.PostJsonAsync(user.Iri + "/signature", new { content = new string('s', 256) })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var wrongType = await (await client.PostJsonAsync(user.Iri + "/signature", new { content = 7 })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("is required", Error(empty, "content"));
        Assert.Contains("at most 255", Error(long_, "content"));
        Assert.NotNull(wrongType["errors"]!["content"]);
        Assert.Equal(0, await api.WithDbAsync(db => db.Signatures.CountAsync(s => s.UserId == user.Id)));
    }

    [Fact]
    public async Task Parallel_creations_make_one_signature_and_the_others_are_409()
    {
        var (_, user, client) = await MemberAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.PostJsonAsync(user.Iri + "/signature", new { content = $"Sig {i}" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await api.WithDbAsync(db => db.Signatures.CountAsync(s => s.UserId == user.Id)));
    }

    [Fact]
    public async Task It_is_appended_after_a_line_break_only_while_the_setting_is_on()
    {
        var (account, user, client) = await MemberAsync();
        await SignAsync(client, user, "-- {{user.firstName}} at {{account.name}}", append: true);

        var signed = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035552001", body = "See you soon" })).ExpectAsync(HttpStatusCode.Created);
        await (await client.PutJsonAsync(user.Iri, new { settings = new { appendSignature = false } })).ExpectAsync(HttpStatusCode.OK);
        var unsigned = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035552001", body = "See you soon" })).ExpectAsync(HttpStatusCode.Created);

        var firstName = await api.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.Name).SingleAsync());
        Assert.Equal($"See you soon\n-- {firstName.Split(' ')[0]} at {account.Name}", (string?)signed["body"]);
        Assert.Equal("See you soon", (string?)unsigned["body"]);
    }

    [Fact]
    public async Task The_length_rule_counts_the_signature()
    {
        var (account, user, client) = await MemberAsync();
        await SignAsync(client, user, "Thanks, the team", append: true);
        var fits = new string('a', 1600 - "\nThanks, the team".Length);

        var ok = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035552002", body = fits })).ExpectAsync(HttpStatusCode.Created);
        var single = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035552002", body = fits + "a" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var bulk = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = new[] { "+13035552002", "+13035552003" }, body = fits + "a" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(1600, ((string?)ok["body"])!.Length);
        Assert.Contains("1,601 characters with your signature", Error(single, "body"));
        Assert.Contains("1,601 characters with your signature", Error(bulk, "body"));
        Assert.Equal(1, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
        Assert.Equal(0, await api.WithDbAsync(db => db.BulkSends.CountAsync(b => b.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_bulk_send_carries_the_signature_to_every_recipient()
    {
        var (account, user, client) = await MemberAsync();
        await SignAsync(client, user, "Acme support", append: true);

        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = new[] { "+13035552004", "+13035552005" }, body = "Hello" }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((string?)(await (await client.GetAsync((string)send["id"]!)).ExpectAsync(HttpStatusCode.OK))["state"] != BulkSendStates.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the bulk send never completed");
            await Task.Delay(50);
        }

        var bodies = await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == account.Id).Select(m => m.Body).Distinct().ToListAsync());
        Assert.Equal(["Hello\nAcme support"], bodies);
    }
}
