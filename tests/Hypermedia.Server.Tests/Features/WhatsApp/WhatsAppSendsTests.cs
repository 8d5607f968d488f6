using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.BulkSends;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Features.WhatsApp;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Features.WhatsApp;

/// <summary>
/// Sending over WhatsApp: a typed body only inside the 24-hour window the recipient opened, an approved template
/// at any time with every variable filled, and bulk sends that skip the recipients either rule leaves out.
/// </summary>
public sealed class WhatsAppSendsTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private sealed record Setup(Account Account, string WhatsAppNumber, HttpClient Client, TestUser Admin)
    {
        public string Messages => $"/{Account.Slug}/messages";
    }

    private async Task<Setup> WhatsAppAccountAsync()
    {
        var account = await api.CreateAccountAsync();
        var number = await api.EnableWhatsAppAsync(account);
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        return new Setup(account, number, api.ClientFor(admin), admin);
    }

    /// <summary>A template of the account, created by its admin and then given WhatsApp's verdict.</summary>
    private async Task<JsonNode> TemplateAsync(Setup setup, string status = WhatsAppTemplateStatuses.Approved, JsonObject? body = null)
    {
        var template = await (await setup.Client.PostJsonAsync($"/{setup.Account.Slug}/whats_app/templates", body ?? WhatsAppTemplatesTests.ReminderBody()))
            .ExpectAsync(HttpStatusCode.Created);
        var slug = (string)template["slug"]!;
        await api.WithDbAsync(db => db.WhatsAppTemplates.Where(t => t.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, status)));
        return template;
    }

    private static object Reminder(JsonNode template, object? values = null) =>
        new { id = (string)template["slug"]!, variable_values = values ?? new { appt_date = "1/1", appt_time = "12:00" } };

    private Task<int> MessageCountAsync(Setup setup) => api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == setup.Account.Id && m.Direction == Message.Outgoing));

    private static string Error(JsonNode problem, string field) => string.Join(" ", problem["errors"]![field]?.AsArray().Select(e => (string?)e) ?? []);

    private async Task<JsonNode> CompletedAsync(HttpClient client, JsonNode send)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonNode done;
        while ((string?)(done = await (await client.GetAsync((string)send["id"]!)).ExpectAsync(HttpStatusCode.OK))["state"] != BulkSendStates.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the bulk send never completed");
            await Task.Delay(50);
        }

        return done;
    }

    [Fact]
    public async Task A_typed_body_inside_the_window_is_201_on_whatsapp_from_the_whatsapp_number()
    {
        var setup = await WhatsAppAccountAsync();
        await api.WhatsAppInboundAsync("+13035550301", setup.WhatsAppNumber);

        var message = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550301", body = "Thanks for reaching out!", channel = "whatsapp" }))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(("whatsapp", "Thanks for reaching out!", setup.WhatsAppNumber), ((string?)message["channel"], (string?)message["body"], (string?)message["from"]));
        Assert.Null(message["whatsAppTemplate"]);
        var stored = await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == setup.Account.Id && m.Direction == Message.Outgoing)
            .Select(m => new { m.Channel, m.AccountPhoneNumber, m.WhatsAppTemplateId, m.TemplateValues }).SingleAsync());
        Assert.Equal(("whatsapp", setup.WhatsAppNumber, (long?)null, (string?)null), (stored.Channel, stored.AccountPhoneNumber, stored.WhatsAppTemplateId, stored.TemplateValues));
    }

    [Fact]
    public async Task The_window_still_holds_at_23h59m_and_has_closed_at_24h01m()
    {
        api.Clock.Reset();
        try
        {
            var setup = await WhatsAppAccountAsync();
            await api.WhatsAppInboundAsync("+13035550302", setup.WhatsAppNumber);
            await api.WhatsAppInboundAsync("+13035550303", setup.WhatsAppNumber);

            api.Clock.Advance(TimeSpan.FromHours(24) - Minute);
            await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550302", body = "Still here", channel = "whatsapp" })).ExpectAsync(HttpStatusCode.Created);

            api.Clock.Advance(2 * Minute);
            var problem = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550303", body = "Too late", channel = "whatsapp" }))
                .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

            Assert.StartsWith("is required: +13035550303 has not sent this account a WhatsApp message in the last 24 hours", Error(problem, "template"));
            Assert.Equal(1, await MessageCountAsync(setup));
        }
        finally
        {
            api.Clock.Reset();
        }
    }

    [Fact]
    public async Task A_number_that_never_wrote_or_only_texted_over_sms_needs_a_template()
    {
        var setup = await WhatsAppAccountAsync();
        await api.InboundAsync(setup.Account.Slug, "+13035550304", "an SMS, not WhatsApp");

        foreach (var to in new[] { "+13035550304", "+13035550305" })
        {
            var problem = await (await setup.Client.PostJsonAsync(setup.Messages, new { to, body = "Hello", channel = "whatsapp" }))
                .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Contains("only an approved template may be sent", Error(problem, "template"));
        }

        Assert.Equal(0, await MessageCountAsync(setup));
    }

    [Fact]
    public async Task Whatsapp_on_an_account_without_it_is_422_on_channel_and_an_unknown_channel_too()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.Admin, account));

        var disabled = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035550306", body = "Hi", channel = "whatsapp" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var fax = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035550306", body = "Hi", channel = "fax" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.StartsWith("whatsapp is not enabled on this account", Error(disabled, "channel"));
        Assert.Equal("must be one of sms, whatsapp", Error(fax, "channel"));
        Assert.Equal(0, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task Sms_stays_the_default_and_an_sms_send_ignores_the_whatsapp_window()
    {
        var setup = await WhatsAppAccountAsync();

        var message = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550307", body = "Plain SMS" })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(("sms", setup.Account.PhoneNumbers[0]), ((string?)message["channel"], (string?)message["from"]));
    }

    [Fact]
    public async Task From_must_be_the_whatsapp_number_on_whatsapp()
    {
        var setup = await WhatsAppAccountAsync();
        await api.WhatsAppInboundAsync("+13035550308", setup.WhatsAppNumber);

        var problem = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550308", body = "Hi", channel = "whatsapp", from = setup.Account.PhoneNumbers[0] }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550308", body = "Hi", channel = "whatsapp", from = setup.WhatsAppNumber }))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal($"{setup.Account.PhoneNumbers[0]} is not this account's WhatsApp number; WhatsApp messages go out from {setup.WhatsAppNumber}", Error(problem, "from"));
    }

    [Fact]
    public async Task An_approved_template_sends_outside_the_window_with_its_body_rendered_and_embedded()
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup);

        var message = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550309", channel = "whatsapp", body = "ignored", template = Reminder(template) }))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(("whatsapp", "Hi there, please confirm your appointment on 1/1 at 12:00:"), ((string?)message["channel"], (string?)message["body"]));
        var embedded = message["whatsAppTemplate"]!;
        Assert.Equal(("WhatsApp::Template", (string?)template["id"], (string?)template["slug"], "approved"),
            ((string?)embedded["@type"], (string?)embedded["id"], (string?)embedded["slug"], (string?)embedded["status"]));
        var stored = await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == setup.Account.Id && m.Direction == Message.Outgoing)
            .Select(m => new { m.Body, m.WhatsAppTemplate!.Slug, m.TemplateValues }).SingleAsync());
        Assert.Equal(("Hi there, please confirm your appointment on 1/1 at 12:00:", (string)template["slug"]!), (stored.Body, stored.Slug));
        Assert.Equal(new Dictionary<string, string> { ["contact.firstName"] = "there", ["appt_date"] = "1/1", ["appt_time"] = "12:00" },
            JsonSerializer.Deserialize<Dictionary<string, string>>(stored.TemplateValues!));

        var read = await (await setup.Client.GetAsync((string)message["id"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((string?)template["id"], (string?)read["whatsAppTemplate"]!["id"]);
    }

    [Fact]
    public async Task A_template_is_named_by_its_iri_too_and_a_contacts_name_or_a_given_value_fills_a_personalization_variable()
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup);
        await (await setup.Client.PostJsonAsync($"/{setup.Account.Slug}/contacts", new { name = "Ada Lovelace", phones = new[] { new { number = "+13035550310" } } }))
            .ExpectAsync(HttpStatusCode.Created);

        var byIri = await (await setup.Client.PostJsonAsync(setup.Messages, new
        {
            to = "+13035550310",
            channel = "whatsapp",
            template = new { id = (string)template["id"]!, variableValues = new { appt_date = "2/2", appt_time = "9:30" } },
        })).ExpectAsync(HttpStatusCode.Created);
        var given = await (await setup.Client.PostJsonAsync(setup.Messages, new
        {
            to = "+13035550310",
            channel = "whatsapp",
            template = Reminder(template, new Dictionary<string, string> { ["contact.firstName"] = "Countess", ["appt_date"] = "3/3", ["appt_time"] = "10:00" }),
        })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("Hi Ada, please confirm your appointment on 2/2 at 9:30:", (string?)byIri["body"]);
        Assert.Equal("Hi Countess, please confirm your appointment on 3/3 at 10:00:", (string?)given["body"]);
    }

    [Theory]
    [InlineData(WhatsAppTemplateStatuses.Pending)]
    [InlineData(WhatsAppTemplateStatuses.Rejected)]
    public async Task A_template_not_approved_is_422_and_nothing_is_written(string status)
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup, status);

        var problem = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550311", channel = "whatsapp", template = Reminder(template) }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal($"appointment_reminder is {status}: only an approved template may be sent (WhatsApp reviews each template before it is used)", Error(problem, "template.id"));
        Assert.Equal(0, await MessageCountAsync(setup));
    }

    [Fact]
    public async Task A_deleted_template_another_accounts_and_an_unknown_one_are_422()
    {
        var setup = await WhatsAppAccountAsync();
        var deleted = await TemplateAsync(setup);
        await (await setup.Client.DeleteAsync((string)deleted["id"]!)).ExpectAsync204Async();
        var other = await WhatsAppAccountAsync();
        var theirs = await TemplateAsync(other);

        async Task<string> ErrorAsync(string id) => Error(await (await setup.Client.PostJsonAsync(setup.Messages, new
        {
            to = "+13035550312",
            channel = "whatsapp",
            template = new { id, variable_values = new { appt_date = "1/1", appt_time = "12:00" } },
        })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity), "template.id");

        Assert.Equal("appointment_reminder was deleted; it can no longer be sent", await ErrorAsync((string)deleted["slug"]!));
        Assert.Equal($"'{(string)theirs["slug"]!}' is not a WhatsApp template of this account", await ErrorAsync((string)theirs["slug"]!));
        Assert.Equal($"'{(string)theirs["id"]!}' is not a WhatsApp template of this account", await ErrorAsync((string)theirs["id"]!));
        Assert.Equal("'/saved_replies/nope' is not a WhatsApp template of this account", await ErrorAsync("/saved_replies/nope"));
        Assert.Equal(0, await MessageCountAsync(setup));
        Assert.Equal(0, await MessageCountAsync(other));
    }

    [Fact]
    public async Task Each_missing_variable_is_422_naming_it()
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup);

        var oneMissing = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550313", channel = "whatsapp", template = Reminder(template, new { appt_date = "1/1" }) }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var bothMissing = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550313", channel = "whatsapp", template = new { id = (string)template["slug"]!, variable_values = new { appt_date = " " } } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["template.variableValues.appt_time"], oneMissing["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal("is required: appointment_reminder writes {{appt_time}}, which has no fallback; give it in variable_values", Error(oneMissing, "template.variableValues.appt_time"));
        Assert.Equal(["template.variableValues.appt_date", "template.variableValues.appt_time"], bothMissing["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Equal(0, await MessageCountAsync(setup));
    }

    [Fact]
    public async Task A_personalization_variable_without_a_fallback_that_the_recipient_lacks_is_422_naming_it()
    {
        var setup = await WhatsAppAccountAsync();
        var body = WhatsAppTemplatesTests.ReminderBody("named_reminder");
        body["content"]!["body"] = "Hi {{contact.lastName}}, please confirm your appointment on {{appt_date}} at {{appt_time}}:";
        body["variables"]![0] = new JsonObject { ["name"] = "contact.lastName", ["type"] = "personalization_variable" };
        var template = await TemplateAsync(setup, body: body);

        var problem = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550314", channel = "whatsapp", template = Reminder(template) }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("has no value for +13035550314: the recipient's contact.lastName is empty and named_reminder gives no fallback; give it in variable_values",
            Error(problem, "template.variableValues.contact.lastName"));
    }

    [Fact]
    public async Task Values_for_variables_the_template_lacks_and_values_that_are_not_text_are_422()
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup);

        var unknown = await (await setup.Client.PostJsonAsync(setup.Messages, new
        {
            to = "+13035550315",
            channel = "whatsapp",
            template = Reminder(template, new { appt_date = "1/1", appt_time = "12:00", doctor = "Who" }),
        })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var number = await (await setup.Client.PostJsonAsync(setup.Messages, new
        {
            to = "+13035550315",
            channel = "whatsapp",
            template = Reminder(template, new { appt_date = 11, appt_time = "12:00" }),
        })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var notAnObject = await (await setup.Client.PostJsonAsync(setup.Messages, new
        {
            to = "+13035550315",
            channel = "whatsapp",
            template = new { id = (string)template["slug"]!, variable_values = new[] { "1/1" } },
        })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var noId = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550315", channel = "whatsapp", template = new { variable_values = new { } } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("is not a variable of appointment_reminder; its variables are contact.firstName, appt_date, appt_time", Error(unknown, "template.variableValues.doctor"));
        Assert.Equal("must be text (a JSON string)", Error(number, "template.variableValues.appt_date"));
        Assert.NotEmpty(Error(notAnObject, "template.variableValues"));
        Assert.StartsWith("is required", Error(noId, "template.id"));
        Assert.Equal(0, await MessageCountAsync(setup));
    }

    [Fact]
    public async Task A_template_goes_over_whatsapp_only_and_alone()
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup);

        var sms = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550316", template = Reminder(template) }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var withFile = await (await setup.Client.PostJsonAsync(setup.Messages, new
        {
            to = "+13035550316",
            channel = "whatsapp",
            template = Reminder(template),
            attachments = new[] { new { media_url = "https://example.com/a.png" } },
        })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var withReply = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550316", channel = "whatsapp", template = Reminder(template), saved_reply = "/saved_replies/x" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("must be whatsapp to send a template: WhatsApp templates are sent over WhatsApp only", Error(sms, "channel"));
        Assert.StartsWith("must be empty when sending a WhatsApp template", Error(withFile, "attachments"));
        Assert.Equal("give a saved reply or a WhatsApp template, not both", Error(withReply, "savedReply"));
        Assert.Equal(0, await MessageCountAsync(setup));
    }

    [Fact]
    public async Task An_opted_out_recipient_gets_no_template_either()
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup);
        await (await setup.Client.PutAsync($"/{setup.Account.Slug}/opt_outs/+13035550317", null)).ExpectAsync(HttpStatusCode.Created);

        var problem = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = "+13035550317", channel = "whatsapp", template = Reminder(template) }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("+13035550317 has opted out of messages from this account", Error(problem, "to"));
    }

    [Fact]
    public async Task Without_an_account_in_the_path_from_names_the_account_by_its_whatsapp_number()
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup);

        var message = await (await setup.Client.PostJsonAsync("/messages", new { to = "+13035550318", from = setup.WhatsAppNumber, channel = "whatsapp", template = Reminder(template) }))
            .ExpectAsync(HttpStatusCode.Created);
        var bySms = await (await setup.Client.PostJsonAsync("/messages", new { to = "+13035550318", from = setup.Account.PhoneNumbers[0], channel = "whatsapp", template = Reminder(template) }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(("whatsapp", setup.WhatsAppNumber), ((string?)message["channel"], (string?)message["from"]));
        Assert.Equal(1, await MessageCountAsync(setup));
        Assert.Equal($"{setup.Account.PhoneNumbers[0]} is not the WhatsApp number of any of your accounts", Error(bySms, "from"));
    }

    [Fact]
    public async Task A_template_may_be_scheduled_but_a_typed_whatsapp_body_may_not()
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup);
        var at = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var scheduled = await (await setup.Client.PostJsonAsync($"{setup.Messages}/schedule", new { to = "+13035550319", channel = "whatsapp", template = Reminder(template), scheduled_at = at }))
            .ExpectAsync(HttpStatusCode.Created);
        var typed = await (await setup.Client.PostJsonAsync($"{setup.Messages}/schedule", new { to = "+13035550319", channel = "whatsapp", body = "Later", scheduled_at = at }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(("scheduled", "whatsapp", "Hi there, please confirm your appointment on 1/1 at 12:00:"),
            ((string?)scheduled["deliveryState"], (string?)scheduled["channel"], (string?)scheduled["body"]));
        Assert.StartsWith("is required to schedule a WhatsApp message", Error(typed, "template"));
    }

    [Fact]
    public async Task A_bulk_template_send_renders_each_recipient_and_skips_one_without_a_value()
    {
        var setup = await WhatsAppAccountAsync();
        var body = WhatsAppTemplatesTests.ReminderBody("first_name_reminder");
        body["content"]!["body"] = "Hi {{contact.firstName}}, please confirm your appointment on {{appt_date}} at {{appt_time}}:";
        body["variables"]![0] = new JsonObject { ["name"] = "contact.firstName", ["type"] = "personalization_variable" };
        var template = await TemplateAsync(setup, body: body);
        await (await setup.Client.PostJsonAsync($"/{setup.Account.Slug}/contacts", new { name = "Grace Hopper", phones = new[] { new { number = "+13035550321" } } }))
            .ExpectAsync(HttpStatusCode.Created);

        var send = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = new[] { "+13035550321", "+13035550322" }, channel = "whatsapp", template = Reminder(template) }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var done = await CompletedAsync(setup.Client, send);

        Assert.Equal(("whatsapp", (string?)template["id"]), ((string?)send["channel"], (string?)send["whatsAppTemplate"]));
        Assert.Equal((1, 1), ((int?)done["sent"], (int?)done["skipped"]));
        var sent = await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == setup.Account.Id && m.Direction == Message.Outgoing)
            .Select(m => new { m.PhoneNumber, m.Body, m.Channel, m.AccountPhoneNumber, Template = m.WhatsAppTemplate!.Slug }).SingleAsync());
        Assert.Equal(("+13035550321", "Hi Grace, please confirm your appointment on 1/1 at 12:00:", "whatsapp", setup.WhatsAppNumber, (string)template["slug"]!),
            (sent.PhoneNumber, sent.Body, sent.Channel, sent.AccountPhoneNumber, sent.Template));
        var reason = await api.WithDbAsync(db => db.BulkSendRecipients.Where(r => r.PhoneNumber == "+13035550322" && r.State == RecipientStates.Skipped
            && db.Set<BulkSend>().Any(b => b.Id == r.BulkSendId && b.AccountId == setup.Account.Id)).Select(r => r.Reason).SingleAsync());
        Assert.Equal("the template first_name_reminder has no value for {{contact.firstName}} for +13035550322 and no fallback", reason);
    }

    [Fact]
    public async Task A_bulk_template_send_missing_a_text_value_is_422_before_anything_is_written()
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup);

        var problem = await (await setup.Client.PostJsonAsync(setup.Messages, new
        {
            to = new[] { "+13035550323", "+13035550324" },
            channel = "whatsapp",
            template = Reminder(template, new { appt_time = "12:00" }),
        })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["template.variableValues.appt_date"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, await api.WithDbAsync(db => db.BulkSends.CountAsync(b => b.AccountId == setup.Account.Id)));
    }

    [Fact]
    public async Task A_bulk_typed_whatsapp_send_reaches_only_recipients_inside_their_window()
    {
        var setup = await WhatsAppAccountAsync();
        await api.WhatsAppInboundAsync("+13035550325", setup.WhatsAppNumber);

        var send = await (await setup.Client.PostJsonAsync(setup.Messages, new { to = new[] { "+13035550325", "+13035550326" }, channel = "whatsapp", body = "Thanks!" }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var done = await CompletedAsync(setup.Client, send);

        Assert.Equal((1, 1, (string?)null), ((int?)done["sent"], (int?)done["skipped"], (string?)done["whatsAppTemplate"]));
        Assert.Equal(["+13035550325"], await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == setup.Account.Id && m.Direction == Message.Outgoing && m.Channel == "whatsapp")
            .Select(m => m.PhoneNumber).ToListAsync()));
        var reason = await api.WithDbAsync(db => db.BulkSendRecipients.Where(r => r.PhoneNumber == "+13035550326"
            && db.Set<BulkSend>().Any(b => b.Id == r.BulkSendId && b.AccountId == setup.Account.Id)).Select(r => r.Reason).SingleAsync());
        Assert.StartsWith("+13035550326 has not sent this account a WhatsApp message in the last 24 hours", reason);
    }

    [Fact]
    public async Task A_template_rejected_after_a_bulk_send_was_accepted_skips_its_recipients()
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup);
        var at = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var send = await (await setup.Client.PostJsonAsync($"{setup.Messages}/schedule", new
        {
            to = new[] { "+13035550327", "+13035550328" },
            channel = "whatsapp",
            template = Reminder(template),
            scheduled_at = at,
        })).ExpectAsync(HttpStatusCode.Accepted);

        var slug = (string)template["slug"]!;
        await api.WithDbAsync(db => db.WhatsAppTemplates.Where(t => t.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, WhatsAppTemplateStatuses.Rejected)));
        var sendSlug = ((string)send["id"]!).Split('/')[^1];
        await api.WithDbAsync(db => db.BulkSends.Where(b => b.Slug == sendSlug).ExecuteUpdateAsync(s => s.SetProperty(b => b.ScheduledAt, DateTimeOffset.UtcNow)));
        var id = await api.WithDbAsync(db => db.BulkSends.Where(b => b.Slug == sendSlug).Select(b => b.Id).SingleAsync());
        await api.WithServicesAsync(services => ActivatorUtilities.CreateInstance<BulkSendFanOut>(services).StartAsync(id));
        var done = await CompletedAsync(setup.Client, send);

        Assert.Equal((0, 2), ((int?)done["sent"], (int?)done["skipped"]));
        Assert.Equal(0, await MessageCountAsync(setup));
    }

    [Theory]
    [InlineData("rejected", "not sent: appointment_reminder is rejected: only an approved template may be sent (WhatsApp reviews each template before it is used)")]
    [InlineData("deleted", "not sent: appointment_reminder was deleted; it can no longer be sent")]
    [InlineData("disabled", "not sent: WhatsApp is no longer enabled on the account")]
    public async Task A_scheduled_template_message_is_not_sent_when_its_template_or_whatsapp_went_away_meanwhile(string change, string reason)
    {
        var setup = await WhatsAppAccountAsync();
        var template = await TemplateAsync(setup);
        var at = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var scheduled = await (await setup.Client.PostJsonAsync($"{setup.Messages}/schedule", new { to = "+13035550329", channel = "whatsapp", template = Reminder(template), scheduled_at = at }))
            .ExpectAsync(HttpStatusCode.Created);
        var slug = (string)template["slug"]!;
        await api.WithDbAsync(db => change switch
        {
            "rejected" => db.WhatsAppTemplates.Where(t => t.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, WhatsAppTemplateStatuses.Rejected)),
            "deleted" => db.WhatsAppTemplates.Where(t => t.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(t => t.DeletedAt, DateTimeOffset.UtcNow)),
            _ => db.Accounts.Where(a => a.Id == setup.Account.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.WhatsAppEnabled, false)),
        });
        var messageSlug = ((string)scheduled["id"]!).Split('/')[^1];
        var id = await api.WithDbAsync(db => db.Messages.Where(m => m.Slug == messageSlug).Select(m => m.Id).SingleAsync());
        await api.WithDbAsync(db => db.Messages.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.ScheduledAt, DateTimeOffset.UtcNow)));

        await api.WithServicesAsync(services => ActivatorUtilities.CreateInstance<ScheduledMessages>(services).ReleaseAsync(id));

        var message = await (await setup.Client.GetAsync((string)scheduled["id"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("failed", (string?)message["deliveryState"]);
        Assert.Equal(reason, await api.WithDbAsync(db => db.Messages.Where(m => m.Id == id).Select(m => m.FailureReason).SingleAsync()));
    }
}
