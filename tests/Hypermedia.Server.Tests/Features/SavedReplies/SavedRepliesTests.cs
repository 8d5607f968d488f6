using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.BulkSends;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Features.Attachments;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features.SavedReplies;

/// <summary>
/// Saved replies: created and listed by their owner only, seen by members of the owner's accounts when shared,
/// changed and deleted by the owner alone, and sent by IRI (the body defaults to the reply's content, its file
/// goes with it).
/// </summary>
public sealed class SavedRepliesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    /// <summary>Two users of one account, and a stranger in another.</summary>
    private async Task<(Account Account, TestUser Owner, TestUser Colleague, TestUser Stranger)> PeopleAsync(string colleagueRole = Roles.User)
    {
        var account = await api.CreateAccountAsync();
        var owner = await api.CreateUserAsync(Roles.User, account);
        var colleague = await api.CreateUserAsync(colleagueRole, account);
        var stranger = await api.CreateUserAsync(Roles.Admin, await api.CreateAccountAsync());
        return (account, owner, colleague, stranger);
    }

    private static async Task<JsonNode> CreateAsync(HttpClient client, TestUser user, object reply) =>
        await (await client.PostJsonAsync(user.Iri + "/saved_replies", reply)).ExpectAsync(HttpStatusCode.Created);

    private static async Task<JsonNode> UploadAsync(HttpClient client, Account account)
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(AttachmentFiles.Png);
        part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(part, "file", "logo.png");
        return await (await client.PostAsync($"/{account.Slug}/attachments", form)).ExpectAsync(HttpStatusCode.Created);
    }

    private static string Error(JsonNode problem, string field) => string.Join(" ", problem["errors"]![field]!.AsArray().Select(e => (string?)e));

    private static List<string?> Titles(JsonNode list) => [.. list["members"]!.AsArray().Select(m => (string?)m!["title"])];

    [Fact]
    public async Task Creating_one_wrapped_in_saved_reply_answers_201_with_the_reply_and_stores_it()
    {
        var (account, owner, _, _) = await PeopleAsync();
        using var client = api.ClientFor(owner);
        var file = await UploadAsync(client, account);

        var response = await client.PostJsonAsync(owner.Iri + "/saved_replies",
            new { saved_reply = new { title = "Greeting", content = "Thanks for reaching out!", shared = true, attachments = new[] { new { key = (string)file["key"]! } } } });
        var reply = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("SavedReply", (string?)reply["@type"]);
        Assert.Equal("/contexts/SavedReply.jsonld", (string?)reply["@context"]);
        Assert.StartsWith("/saved_replies/", (string?)reply["id"]);
        Assert.Equal((string?)reply["id"], response.Headers.Location?.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("Greeting", (string?)reply["title"]);
        Assert.Equal("Thanks for reaching out!", (string?)reply["content"]);
        Assert.True((bool?)reply["shared"]);
        Assert.Equal(owner.Iri, (string?)reply["user"]);
        var attachment = reply["attachments"]!["members"]![0]!;
        Assert.Equal("SavedReplyAttachment", (string?)attachment["@type"]);
        Assert.Equal((string?)file["id"], (string?)attachment["id"]);
        Assert.Equal("image/png", (string?)attachment["contentType"]);
        Assert.Equal(1, (int?)attachment["width"]);
        var stored = await api.WithDbAsync(db => db.SavedReplies.Include(r => r.Attachments).SingleAsync(r => r.UserId == owner.Id));
        Assert.Equal("Greeting", stored.Title);
        Assert.Single(stored.Attachments);
        var attachments = await (await client.GetAsync((string)reply["attachments"]!["id"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, (int?)attachments["totalItems"]);
    }

    [Fact]
    public async Task Bare_fields_work_and_shared_defaults_to_false()
    {
        var (_, owner, _, _) = await PeopleAsync();
        using var client = api.ClientFor(owner);

        var reply = await CreateAsync(client, owner, new { title = "Bare", content = "Hello" });

        Assert.False((bool?)reply["shared"]);
        Assert.Equal(0, (int?)reply["attachments"]!["totalItems"]);
    }

    [Fact]
    public async Task Broken_rules_are_422_naming_each_field_and_nothing_is_stored()
    {
        var (account, owner, _, stranger) = await PeopleAsync();
        using var client = api.ClientFor(owner);
        var strangersFile = await UploadAsync(api.ClientFor(stranger), (await api.WithDbAsync(db => db.Memberships.Include(m => m.Account).FirstAsync(m => m.UserId == stranger.Id))).Account!);
        var file = await UploadAsync(client, account);

        var missing = await (await client.PostJsonAsync(owner.Iri + "/saved_replies", new { shared = "yes" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var empty = await (await client.PostJsonAsync(owner.Iri + "/saved_replies", new { title = "", content = new string('x', 1601) })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var two = await (await client.PostJsonAsync(owner.Iri + "/saved_replies", new { title = "t", content = "c", attachments = new[] { (string)file["id"]!, (string)file["id"]! } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var foreign = await (await client.PostJsonAsync(owner.Iri + "/saved_replies", new { title = "t", content = "c", attachments = new[] { (string)strangersFile["id"]! } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var both = await (await client.PostJsonAsync(owner.Iri + "/saved_replies", new { title = "t", saved_reply = new { title = "t", content = "c" } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("true or false", Error(missing, "shared"));
        Assert.Contains("is required", Error(empty, "title"));
        Assert.Contains("at most 1600", Error(empty, "content"));
        Assert.Contains("at most 1 attachment", Error(two, "attachments"));
        Assert.Contains("not an attachment of any of your accounts", Error(foreign, "attachments[0]"));
        Assert.Contains("not both", Error(both, "savedReply"));
        Assert.Equal(0, await api.WithDbAsync(db => db.SavedReplies.CountAsync(r => r.UserId == owner.Id)));
    }

    [Fact]
    public async Task Only_the_user_themself_creates_or_lists_their_saved_replies()
    {
        var (_, owner, admin, stranger) = await PeopleAsync(Roles.Admin);

        var byAdmin = await api.ClientFor(admin).PostJsonAsync(owner.Iri + "/saved_replies", new { title = "t", content = "c" });
        var byStranger = await api.ClientFor(stranger).PostJsonAsync(owner.Iri + "/saved_replies", new { title = "t", content = "c" });
        var listByAdmin = await api.ClientFor(admin).GetAsync(owner.Iri + "/saved_replies");
        var listByStranger = await api.ClientFor(stranger).GetAsync(owner.Iri + "/saved_replies");

        await byAdmin.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await byStranger.ExpectProblemAsync(HttpStatusCode.NotFound);
        await listByAdmin.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await listByStranger.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await api.WithDbAsync(db => db.SavedReplies.CountAsync(r => r.UserId == owner.Id)));
    }

    [Fact]
    public async Task Filter_all_lists_your_own_and_those_shared_in_your_accounts_and_filter_mine_your_own()
    {
        var (_, owner, colleague, stranger) = await PeopleAsync();
        using var me = api.ClientFor(owner);
        await CreateAsync(me, owner, new { title = "B mine", content = "one" });
        await CreateAsync(api.ClientFor(colleague), colleague, new { title = "A shared", content = "two", shared = true });
        await CreateAsync(api.ClientFor(colleague), colleague, new { title = "C private", content = "three" });
        await CreateAsync(api.ClientFor(stranger), stranger, new { title = "D stranger's shared", content = "four", shared = true });

        var all = await (await me.GetAsync(owner.Iri + "/saved_replies?filter=all")).ExpectAsync(HttpStatusCode.OK);
        var byDefault = await (await me.GetAsync(owner.Iri + "/saved_replies")).ExpectAsync(HttpStatusCode.OK);
        var mine = await (await me.GetAsync(owner.Iri + "/saved_replies?filter=mine")).ExpectAsync(HttpStatusCode.OK);
        var searched = await (await me.GetAsync(owner.Iri + "/saved_replies?q=TWO")).ExpectAsync(HttpStatusCode.OK);
        var bogus = await (await me.GetAsync(owner.Iri + "/saved_replies?filter=everyone")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("hydra:Collection", (string?)all["@type"]);
        Assert.Equal(["A shared", "B mine"], Titles(all));
        Assert.Equal(Titles(all), Titles(byDefault));
        Assert.Equal(["B mine"], Titles(mine));
        Assert.Equal(["A shared"], Titles(searched));
        Assert.Contains("all", Error(bogus, "filter"));
    }

    [Fact]
    public async Task A_reply_is_read_by_those_who_see_it_and_changed_or_deleted_only_by_its_owner()
    {
        var (_, owner, colleague, stranger) = await PeopleAsync(Roles.Admin);
        using var me = api.ClientFor(owner);
        var shared = (string)(await CreateAsync(me, owner, new { title = "Shared", content = "s", shared = true }))["id"]!;
        var hidden = (string)(await CreateAsync(me, owner, new { title = "Hidden", content = "h" }))["id"]!;
        using var other = api.ClientFor(colleague);
        using var outsider = api.ClientFor(stranger);

        await (await other.GetAsync(shared)).ExpectAsync(HttpStatusCode.OK);
        await (await other.GetAsync(hidden)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync(shared)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await other.PutJsonAsync(shared, new { title = "Mine now" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await other.DeleteAsync(shared)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await other.PutJsonAsync(hidden, new { title = "Mine now" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.DeleteAsync(shared)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2, await api.WithDbAsync(db => db.SavedReplies.CountAsync(r => r.UserId == owner.Id && r.Title != "Mine now")));

        var changed = await (await me.PutJsonAsync(shared, new { saved_reply = new { title = "Renamed", shared = false } })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed", (string?)changed["title"]);
        Assert.Equal("s", (string?)changed["content"]);
        await (await other.GetAsync(shared)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var deleted = await me.DeleteAsync(hidden);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await me.GetAsync(hidden)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_stale_If_Match_is_412_and_changes_nothing()
    {
        var (_, owner, _, _) = await PeopleAsync();
        using var me = api.ClientFor(owner);
        var created = await me.PostJsonAsync(owner.Iri + "/saved_replies", new { title = "Versioned", content = "v1" });
        var etag = created.Headers.ETag!.Tag;
        var id = (string)(await created.ExpectAsync(HttpStatusCode.Created))["id"]!;
        await (await me.SendIfMatchAsync(HttpMethod.Put, id, etag, new { content = "v2" })).ExpectAsync(HttpStatusCode.OK);

        var stale = await me.SendIfMatchAsync(HttpMethod.Put, id, etag, new { content = "v3" });
        var staleDelete = await me.SendIfMatchAsync(HttpMethod.Delete, id, etag);

        await stale.ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await staleDelete.ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("v2", await api.WithDbAsync(db => db.SavedReplies.Where(r => r.UserId == owner.Id).Select(r => r.Content).SingleAsync()));
    }

    [Fact]
    public async Task Parallel_changes_to_one_reply_never_fail_and_the_last_written_is_what_is_stored()
    {
        var (_, owner, _, _) = await PeopleAsync();
        using var me = api.ClientFor(owner);
        var id = (string)(await CreateAsync(me, owner, new { title = "Busy", content = "start" }))["id"]!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => me.PutJsonAsync(id, new { content = $"version {i}" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.JsonAsync()));
        var stored = await api.WithDbAsync(db => db.SavedReplies.Where(r => r.UserId == owner.Id).Select(r => r.Content).SingleAsync());
        Assert.Contains(stored, bodies.Select(b => (string?)b["content"]));
    }

    [Fact]
    public async Task The_seed_example_sends_from_a_saved_reply_with_the_typed_body_and_the_replys_file()
    {
        var (account, owner, _, _) = await PeopleAsync();
        using var me = api.ClientFor(owner);
        var file = await UploadAsync(me, account);
        var reply = await CreateAsync(me, owner, new { title = "With file", content = "From the reply", attachments = new[] { (string)file["id"]! } });

        var typed = await (await me.PostJsonAsync($"/{account.Slug}/messages", new { to = new[] { "+13035551234" }, body = "New phone who dis?", saved_reply = (string)reply["id"]! }))
            .ExpectAsync(HttpStatusCode.Created);
        var fromReply = await (await me.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035551235", saved_reply = (string)reply["id"]! }))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("New phone who dis?", (string?)typed["body"]);
        Assert.Equal("From the reply", (string?)fromReply["body"]);
        var attachments = await (await me.GetAsync((string)typed["attachments"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((string?)file["id"], (string?)attachments["members"]![0]!["id"]);
        var messages = await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == account.Id).Select(m => m.Id).ToListAsync());
        Assert.Equal(2, await api.WithDbAsync(db => db.MessageAttachments.CountAsync(ma => messages.Contains(ma.MessageId))));
    }

    [Fact]
    public async Task A_reply_the_sender_may_not_send_from_this_account_is_422_naming_saved_reply()
    {
        var (account, owner, colleague, stranger) = await PeopleAsync();
        var elsewhere = await api.CreateAccountAsync();
        var roamer = await api.CreateUserAsync(Roles.User, account, elsewhere);
        var hidden = (string)(await CreateAsync(api.ClientFor(colleague), colleague, new { title = "Private", content = "not yours" }))["id"]!;
        var strangers = (string)(await CreateAsync(api.ClientFor(stranger), stranger, new { title = "Shared elsewhere", content = "not here", shared = true }))["id"]!;
        var roamers = (string)(await CreateAsync(api.ClientFor(roamer), roamer, new { title = "Roamer's", content = "from the roamer", shared = true }))["id"]!;
        using var me = api.ClientFor(owner);

        var problems = new List<JsonNode>();
        foreach (var iri in new[] { hidden, strangers, "/saved_replies/nope", "/contacts/whatever" })
        {
            problems.Add(await (await me.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035551236", saved_reply = iri })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity));
        }

        var shared = await (await me.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035551236", saved_reply = roamers })).ExpectAsync(HttpStatusCode.Created);

        Assert.All(problems, p => Assert.Contains("not a saved reply you may send from this account", Error(p, "savedReply")));
        Assert.Equal("from the roamer", (string?)shared["body"]);
        Assert.Equal(1, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_reply_whose_content_holds_an_unknown_variable_is_422_naming_saved_reply()
    {
        var (account, owner, _, _) = await PeopleAsync();
        using var me = api.ClientFor(owner);
        var reply = (string)(await CreateAsync(me, owner, new { title = "Nick", content = "Hi {{contact.nickname}}" }))["id"]!;

        var problem = await (await me.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035551240", saved_reply = reply })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("contact.nickname", Error(problem, "savedReply"));
        Assert.Equal(0, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_replys_file_from_another_of_the_owners_accounts_becomes_an_attachment_of_the_sending_account()
    {
        var first = await api.CreateAccountAsync();
        var second = await api.CreateAccountAsync();
        var owner = await api.CreateUserAsync(Roles.User, first, second);
        var colleague = await api.CreateUserAsync(Roles.User, second);
        using var me = api.ClientFor(owner);
        var file = await UploadAsync(me, first);
        var reply = (string)(await CreateAsync(me, owner, new { title = "Cross", content = "See attached", shared = true, attachments = new[] { (string)file["id"]! } }))["id"]!;

        var message = await (await api.ClientFor(colleague).PostJsonAsync($"/{second.Slug}/messages", new { to = "+13035551237", saved_reply = reply })).ExpectAsync(HttpStatusCode.Created);

        var listed = await (await api.ClientFor(colleague).GetAsync((string)message["attachments"]!)).ExpectAsync(HttpStatusCode.OK);
        var attachment = listed["members"]![0]!;
        Assert.Equal((string?)file["key"], (string?)attachment["key"]);
        Assert.NotEqual((string?)file["id"], (string?)attachment["id"]);
        await (await api.ClientFor(colleague).GetAsync((string)attachment["id"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, await api.WithDbAsync(db => db.Attachments.CountAsync(a => a.AccountId == second.Id && a.Key == (string)file["key"]!)));
    }

    [Fact]
    public async Task A_bulk_send_from_a_reply_renders_its_variables_for_each_recipient()
    {
        var (account, owner, _, _) = await PeopleAsync();
        using var me = api.ClientFor(owner);
        await (await me.PostJsonAsync($"/{account.Slug}/contacts", new { name = "Ada Lovelace", phones = new[] { new { number = "+13035551238" } } })).ExpectAsync(HttpStatusCode.Created);
        var reply = (string)(await CreateAsync(me, owner, new { title = "Hello", content = "Hi {{contact.firstName | default: \"there\"}}" }))["id"]!;

        var send = await (await me.PostJsonAsync($"/{account.Slug}/messages", new { to = new[] { "+13035551238", "+13035551239" }, saved_reply = reply }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((string?)(await (await me.GetAsync((string)send["id"]!)).ExpectAsync(HttpStatusCode.OK))["state"] != BulkSendStates.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the bulk send never completed");
            await Task.Delay(50);
        }

        var bodies = await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == account.Id).OrderBy(m => m.PhoneNumber).Select(m => m.Body).ToListAsync());
        Assert.Equal(["Hi Ada", "Hi there"], bodies);
    }
}
