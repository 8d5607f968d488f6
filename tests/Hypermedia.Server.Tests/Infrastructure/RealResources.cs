using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>
/// One real resource of each kind, for sweeps over every documented route: the routes come from the API
/// documentation (so from the mapped endpoints), the values from here, keyed by "segment/{parameter}" as
/// the routes spell them. A route whose parameter has no value here fails the sweep, naming it.
/// </summary>
public static partial class RealResources
{
    /// <summary>
    /// Creates the resources in <paramref name="account"/> as <paramref name="client"/>, an admin of it, who is <paramref name="user"/>;
    /// a conversation starts with a text from the contact's number, recorded through <paramref name="api"/>'s carrier events.
    /// </summary>
    public static async Task<Dictionary<string, string>> CreateAsync(ApiFactory api, HttpClient client, string account, string user)
    {
        static string Slug(JsonNode? iri) => ((string)iri!).Split('/')[^1];
        var contact = await (await client.PostJsonAsync($"/{account}/contacts", new { name = "Real Person", phones = new[] { new { number = "3035550171" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        var note = await (await client.PostJsonAsync((string)contact["notes"]!, new { content = "n" })).ExpectAsync(HttpStatusCode.Created);
        var token = await (await client.PostJsonAsync($"/users/{user}/api_tokens", new { description = "d" })).ExpectAsync(HttpStatusCode.Created);
        var memberships = await (await client.GetAsync($"/users/{user}/memberships")).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutAsync($"/{account}/opt_outs/+13035550171", null)).ExpectAsync(HttpStatusCode.Created);
        var message = await (await client.PostJsonAsync($"/{account}/messages", new { to = "+13032234567", body = "Real message" })).ExpectAsync(HttpStatusCode.Created);
        var bulkSend = await (await client.PostJsonAsync($"/{account}/messages", new { to = new[] { "+13032234568", "+13032234569" }, body = "Real bulk send" }))
            .ExpectAsync(HttpStatusCode.Accepted);
        using var upload = new MultipartFormDataContent();
        var file = new ByteArrayContent(Features.Attachments.AttachmentFiles.Png);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        upload.Add(file, "file", "real.png");
        var attachment = await (await client.PostAsync($"/{account}/attachments", upload)).ExpectAsync(HttpStatusCode.Created);
        var conversation = await api.InboundAsync(account, "+13035550171");
        var assignment = await (await client.PostJsonAsync($"/conversations/{conversation}/assignments", new { assignee = "/users/" + user }))
            .ExpectAsync(HttpStatusCode.OK);
        var contactField = await (await client.PostJsonAsync($"/{account}/contact_schema", new { type = "text", title = "Real field" })).ExpectAsync(HttpStatusCode.Created);
        var userField = await (await client.PostJsonAsync($"/{account}/user_schema", new { type = "url", title = "Real calendar" })).ExpectAsync(HttpStatusCode.Created);
        var savedReply = await (await client.PostJsonAsync($"/users/{user}/saved_replies", new { title = "Real reply", content = "Real content", shared = true, attachments = new[] { (string)attachment["id"]! } }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync($"/users/{user}/signature", new { content = "Real signature" })).ExpectAsync(HttpStatusCode.Created);
        var template = await (await client.PostJsonAsync($"/{account}/whats_app/templates", Features.WhatsApp.WhatsAppTemplatesTests.ReminderBody()))
            .ExpectAsync(HttpStatusCode.Created);
        var invited = await (await client.PostJsonAsync("/users", new
        {
            name = "Invited",
            email = $"invited-{Guid.NewGuid():N}@example.com",
            memberships = new[] { new { account = "/accounts/" + account, role = "user" } },
        })).ExpectAsync(HttpStatusCode.Created);
        return new()
        {
            ["invitations/{key}"] = Slug(invited["invitation"]),
            ["/{account}"] = account,
            ["accounts/{account}"] = account,
            ["users/{id}"] = user,
            ["contacts/{id}"] = Slug(contact["id"]),
            ["contact_phones/{id}"] = Slug(contact["phones"]!["members"]![0]!["id"]),
            ["contact_notes/{id}"] = Slug(note["id"]),
            ["api_tokens/{id}"] = Slug(token["id"]),
            ["memberships/{membership}"] = Slug(memberships["members"]![0]!["id"]),
            ["opt_outs/{phone}"] = "%2B13035550171",
            ["messages/{id}"] = Slug(message["id"]),
            ["bulk_sends/{id}"] = Slug(bulkSend["id"]),
            ["attachments/{id}"] = Slug(attachment["id"]),
            ["staff/{id}"] = user,
            ["contact_filters/{slug}"] = "all",
            ["conversations/{id}"] = conversation,
            ["conversations/{phone}"] = "%2B13035550171",
            ["assignments/{id}"] = Slug(assignment["id"]),
            ["contexts/{name}"] = "Contact.jsonld",
            ["contact_schema/{slug}"] = Slug(contactField["id"]),
            ["user_schema/{slug}"] = Slug(userField["id"]),
            ["saved_replies/{id}"] = Slug(savedReply["id"]),
            ["templates/{id}"] = Slug(template["id"]),
        };
    }

    /// <summary>The route with each parameter replaced by its real value.</summary>
    public static string Fill(string route, IReadOnlyDictionary<string, string> values) =>
        Parameter().Replace(route, m =>
        {
            var key = $"{m.Groups["segment"].Value}/{{{m.Groups["name"].Value}}}";
            return m.Groups["segment"].Value + "/" + (values.TryGetValue(key, out var value)
                ? value
                : throw new Xunit.Sdk.XunitException($"No real value for {key} in {route}: add one to RealResources."));
        });

    [GeneratedRegex(@"(?<segment>[a-z_]*)/\{(?<name>[^}]+)\}")]
    private static partial Regex Parameter();
}
