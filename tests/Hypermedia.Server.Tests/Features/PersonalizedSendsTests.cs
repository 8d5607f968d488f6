using System.Net;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.BulkSends;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

/// <summary>
/// Personalization variables in sends: the body is checked against the account's variables, rendered per
/// recipient, and what is stored and sent is the rendered body; a single send lacking a value is a 422, a
/// bulk send's recipient lacking one is skipped with that reason.
/// </summary>
public sealed class PersonalizedSendsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(Account Account, HttpClient Client, TestUser User)> AdminAsync()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.Admin, account);
        return (account, api.ClientFor(user), user);
    }

    private static async Task ContactAsync(HttpClient client, Account account, string name, string number) =>
        await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name, phones = new[] { new { number } } })).ExpectAsync(HttpStatusCode.Created);

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, Account account, object to, string body) =>
        client.PostJsonAsync($"/{account.Slug}/messages", new { to, body });

    private static string Error(JsonNode problem, string field) => string.Join(" ", problem["errors"]![field]!.AsArray().Select(e => (string?)e));

    [Fact]
    public async Task A_contacts_first_name_and_the_accounts_name_are_rendered_into_the_stored_body()
    {
        var (account, client, _) = await AdminAsync();
        await ContactAsync(client, account, "Ada Lovelace", "+13032271001");

        var message = await (await SendAsync(client, account, "+13032271001", "Hi {{contact.firstName}}, it's {{account.name}} & co."))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal($"Hi Ada, it's {account.Name} & co.", (string?)message["body"]);
        Assert.Equal($"Hi Ada, it's {account.Name} & co.", await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == account.Id).Select(m => m.Body).SingleAsync()));
    }

    [Fact]
    public async Task The_seed_custom_field_example_renders_the_users_calendar_link()
    {
        var (account, client, user) = await AdminAsync();
        await (await client.PostJsonAsync($"/{account.Slug}/user_schema", new { type = "url", title = "Calendar", slug = "calendar" })).ExpectAsync(HttpStatusCode.Created);
        await (await client.PutJsonAsync(user.Iri, new { settings = new { customSettings = new Dictionary<string, string> { [$"/{account.Slug}/user_schema/calendar"] = "https://calend.ly/chuck-norris" } } }))
            .ExpectAsync(HttpStatusCode.OK);

        var message = await (await SendAsync(client, account, new[] { "+13032271002" }, "Check out my availability at {{user.calendar}}")).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("Check out my availability at https://calend.ly/chuck-norris", (string?)message["body"]);
    }

    [Fact]
    public async Task An_unknown_variable_is_422_naming_it_and_nothing_is_written()
    {
        var (account, client, _) = await AdminAsync();

        var problem = await (await SendAsync(client, account, "+13032271003", "Hi {{contact.nickname}}")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("contact.nickname", Error(problem, "body"));
        Assert.Equal(0, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_missing_value_is_422_naming_the_variable_and_a_fallback_sends()
    {
        var (account, client, _) = await AdminAsync();

        var problem = await (await SendAsync(client, account, "+13032271004", "Hi {{contact.firstName}}")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var sent = await (await SendAsync(client, account, "+13032271004", "Hi {{contact.firstName | default: \"there\"}}")).ExpectAsync(HttpStatusCode.Created);

        Assert.Contains("{{contact.firstName}} has no value", Error(problem, "body"));
        Assert.Equal("Hi there", (string?)sent["body"]);
        Assert.Equal(1, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_body_too_long_once_rendered_is_422()
    {
        var (account, client, _) = await AdminAsync();
        await (await client.PostJsonAsync($"/{account.Slug}/contact_schema", new { type = "text", title = "Note", slug = "note" })).ExpectAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "Long Note", phones = new[] { new { number = "+13032271005" } }, customFields = new { note = new string('x', 70) } }))
            .ExpectAsync(HttpStatusCode.Created);
        var body = new string('a', 1_560) + "{{contact.note}}";

        var problem = await (await SendAsync(client, account, "+13032271005", body)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("once personalized", Error(problem, "body"));
    }

    [Fact]
    public async Task A_bulk_send_renders_each_recipient_and_skips_one_lacking_a_value()
    {
        var (account, client, _) = await AdminAsync();
        await ContactAsync(client, account, "Grace Hopper", "+13032271011");

        var send = await (await SendAsync(client, account, new[] { "+13032271011", "+13032271012" }, "Hello {{contact.firstName}}")).ExpectAsync(HttpStatusCode.Accepted);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonNode done;
        while ((string?)(done = await (await client.GetAsync((string)send["id"]!)).ExpectAsync(HttpStatusCode.OK))["state"] != BulkSendStates.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the bulk send never completed");
            await Task.Delay(50);
        }

        Assert.Equal(1, (int?)done["sent"]);
        Assert.Equal(1, (int?)done["skipped"]);
        Assert.Equal(["Hello Grace"], await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == account.Id).Select(m => m.Body).ToListAsync()));
        var skipped = await api.WithDbAsync(db => db.BulkSendRecipients.Where(r => r.PhoneNumber == "+13032271012" && r.State == RecipientStates.Skipped).Select(r => r.Reason).SingleAsync());
        Assert.Contains("{{contact.firstName}} has no value", skipped);
    }

    [Fact]
    public async Task A_bulk_send_with_an_unknown_variable_is_422_before_anything_is_written()
    {
        var (account, client, _) = await AdminAsync();

        var problem = await (await SendAsync(client, account, new[] { "+13032271021", "+13032271022" }, "Hello {{contact.nickname}}")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("contact.nickname", Error(problem, "body"));
        Assert.Equal(0, await api.WithDbAsync(db => db.BulkSends.CountAsync(b => b.AccountId == account.Id)));
    }
}
