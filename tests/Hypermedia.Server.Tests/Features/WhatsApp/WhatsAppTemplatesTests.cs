using System.Net;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features.WhatsApp;

/// <summary>WhatsApp::Template resources: who creates, reads, reviews and deletes them, and every rule a new one must follow.</summary>
public sealed class WhatsAppTemplatesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    public const string ReminderText = """Hi {{contact.firstName | default: "there"}}, please confirm your appointment on {{appt_date}} at {{appt_time}}:""";

    /// <summary>The seed example's template, as a TextUs client would send it (snake_case).</summary>
    public static JsonObject ReminderBody(string title = "appointment_reminder", string language = "en_US") => new()
    {
        ["title"] = title,
        ["language"] = language,
        ["content_sid"] = "HXabcdef1234567890abcdef1234567890",
        ["content_type"] = "quick_reply",
        ["content"] = new JsonObject
        {
            ["body"] = ReminderText,
            ["quick_replies"] = new JsonArray(new JsonObject { ["id"] = "confirm", ["title"] = "Confirm" }, new JsonObject { ["id"] = "cancel", ["title"] = "Cancel" }),
        },
        ["category"] = "utility",
        ["variables"] = new JsonArray(
            new JsonObject { ["name"] = "contact.firstName", ["type"] = "personalization_variable", ["personalization_variable"] = "contact.firstName", ["fallback"] = "there" },
            new JsonObject { ["name"] = "appt_date", ["type"] = "text", ["example"] = "1/1" },
            new JsonObject { ["name"] = "appt_time", ["type"] = "text", ["example"] = "12:00" }),
    };

    private async Task<(Account Account, TestUser Admin, HttpClient Client)> AdminAsync()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        return (account, admin, api.ClientFor(admin));
    }

    private async Task<HttpClient> StaffOperatorAsync() => api.ClientFor(await api.CreateUserAsync(Roles.User, StaffLevel.Operator));

    private static async Task<JsonNode> CreateAsync(HttpClient client, Account account, JsonObject? body = null) =>
        await (await client.PostJsonAsync($"/{account.Slug}/whats_app/templates", body ?? ReminderBody())).ExpectAsync(HttpStatusCode.Created);

    private Task<int> TemplateCountAsync(Account account) => api.WithDbAsync(db => db.WhatsAppTemplates.CountAsync(t => t.AccountId == account.Id));

    [Fact]
    public async Task An_admin_creates_a_template_201_pending_with_location_and_every_field()
    {
        var (account, admin, client) = await AdminAsync();

        var response = await client.PostJsonAsync($"/{account.Slug}/whats_app/templates", ReminderBody());
        var template = await response.ExpectAsync(HttpStatusCode.Created);

        var slug = (string)template["slug"]!;
        Assert.Matches("^[A-Za-z0-9]{8}$", slug);
        Assert.Equal($"/whats_app/templates/{slug}", (string?)template["id"]);
        Assert.Equal((string?)template["id"], response.Headers.Location?.OriginalString);
        Assert.Equal("WhatsApp::Template", (string?)template["@type"]);
        Assert.Equal("/contexts/WhatsApp::Template.jsonld", (string?)template["@context"]);
        Assert.Equal($"/accounts/{account.Slug}", (string?)template["account"]);
        Assert.Equal("appointment_reminder", (string?)template["title"]);
        Assert.Equal("en_US", (string?)template["language"]);
        Assert.Equal("pending", (string?)template["status"]);
        Assert.Null(template["quality"]);
        Assert.Equal("HXabcdef1234567890abcdef1234567890", (string?)template["contentSid"]);
        Assert.Equal("quick_reply", (string?)template["contentType"]);
        Assert.Equal(new JsonObject
        {
            ["body"] = ReminderText,
            ["quickReplies"] = new JsonArray(new JsonObject { ["id"] = "confirm", ["title"] = "Confirm" }, new JsonObject { ["id"] = "cancel", ["title"] = "Cancel" }),
        }.ToJsonString(), template["content"]!.ToJsonString());
        Assert.Equal("utility", (string?)template["category"]);
        Assert.Equal(new JsonArray(
            new JsonObject { ["name"] = "contact.firstName", ["type"] = "personalization_variable", ["example"] = null, ["personalizationVariable"] = "contact.firstName", ["fallback"] = "there" },
            new JsonObject { ["name"] = "appt_date", ["type"] = "text", ["example"] = "1/1", ["personalizationVariable"] = null, ["fallback"] = null },
            new JsonObject { ["name"] = "appt_time", ["type"] = "text", ["example"] = "12:00", ["personalizationVariable"] = null, ["fallback"] = null }).ToJsonString(),
            template["variables"]!.ToJsonString());
        Assert.Equal(admin.Iri, (string?)template["user"]);
        Assert.Equal($"/whats_app/templates/{slug}/status", (string?)template["review"]);
        Assert.Equal((DateTimeOffset)template["createdAt"]!, (DateTimeOffset)template["updatedAt"]!);
        Assert.Null(template["deletedAt"]);

        var stored = await api.WithDbAsync(db => db.WhatsAppTemplates.AsNoTracking().SingleAsync(t => t.Slug == slug));
        Assert.Equal((account.Id, admin.Id, "pending", (DateTimeOffset?)null), (stored.AccountId, stored.CreatedById, stored.Status, stored.DeletedAt));
    }

    [Fact]
    public async Task Camel_case_fields_and_a_text_template_without_variables_are_accepted()
    {
        var (account, _, client) = await AdminAsync();

        var template = await CreateAsync(client, account, new JsonObject
        {
            ["title"] = "welcome",
            ["language"] = "pt_BR",
            ["contentType"] = "text",
            ["content"] = new JsonObject { ["body"] = "Olá! Bem-vindo.", ["quickReplies"] = new JsonArray() },
        });

        Assert.Equal(("text", "pt_BR"), ((string?)template["contentType"], (string?)template["language"]));
        Assert.Null(template["contentSid"]);
        Assert.Null(template["category"]);
        Assert.Empty(template["variables"]!.AsArray());
        Assert.Empty(template["content"]!["quickReplies"]!.AsArray());
    }

    /// <summary>Sets <paramref name="path"/> (dots and [i]) in the reminder body to <paramref name="json"/>, or removes it when null.</summary>
    private static JsonObject ReminderWith(string path, string? json)
    {
        var body = ReminderBody();
        JsonNode node = body;
        var steps = path.Replace("[", ".[").Split('.');
        for (var i = 0; i < steps.Length - 1; i++)
        {
            node = steps[i].StartsWith('[') ? node[int.Parse(steps[i][1..^1], System.Globalization.CultureInfo.InvariantCulture)]! : node[steps[i]]!;
        }

        var last = steps[^1];
        if (last.StartsWith('['))
        {
            node.AsArray()[int.Parse(last[1..^1], System.Globalization.CultureInfo.InvariantCulture)] = json is null ? null : JsonNode.Parse(json);
        }
        else if (json is null)
        {
            node.AsObject().Remove(last);
        }
        else
        {
            node[last] = JsonNode.Parse(json);
        }

        return body;
    }

    [Theory]
    [InlineData("title", null, "title", "is required")]
    [InlineData("title", "\"Appointment Reminder\"", "title", "must be 1 to 512 lower-case letters, digits or underscores")]
    [InlineData("title", "42", "title", "must be a string")]
    [InlineData("language", null, "language", "is required")]
    [InlineData("language", "\"english\"", "language", "must be a WhatsApp language code")]
    [InlineData("content_sid", "\"SM123\"", "contentSid", "must be a Twilio Content SID")]
    [InlineData("content_type", null, "contentType", "is required: one of text, quick_reply")]
    [InlineData("content_type", "\"carousel\"", "contentType", "must be one of text, quick_reply")]
    [InlineData("content", null, "content", "is required")]
    [InlineData("content", "\"Hi\"", "content", "must be an object")]
    [InlineData("content.body", null, "content.body", "is required")]
    [InlineData("content.quick_replies", "[]", "content.quickReplies", "must hold 1 to 10 quick replies")]
    [InlineData("content.quick_replies[1].title", "\"A title far over 25 chars!\"", "content.quickReplies[1].title", "must be at most 25 characters")]
    [InlineData("content.quick_replies[1].id", "\"confirm\"", "content.quickReplies[1].id", "'confirm' is already the id of content.quickReplies[0]")]
    [InlineData("content.quick_replies[0].id", "7", "content.quickReplies[0].id", "must be a string")]
    [InlineData("content.quick_replies[0]", "null", "content.quickReplies[0]", "must be an object")]
    [InlineData("category", "\"promo\"", "category", "must be one of marketing, utility, authentication")]
    [InlineData("variables", "\"appt_date\"", "variables", "must be an array")]
    [InlineData("variables[2].name", "\"appt_date\"", "variables[2].name", "'appt_date' is already the name of variables[1]")]
    [InlineData("variables[1].type", "\"number\"", "variables[1].type", "must be one of text, personalization_variable")]
    [InlineData("variables[1].type", null, "variables[1].type", "is required")]
    [InlineData("variables[1].name", "\"appt date\"", "variables[1].name", "must be 1 to 64 letters, digits or underscores")]
    [InlineData("variables[1].name", "\"contact\"", "variables[1].name", "'contact' is reserved")]
    [InlineData("variables[0].name", "\"contact.nickname\"", "variables[0].name", "'contact.nickname' is not a personalization variable of this account")]
    [InlineData("variables[1].example", null, "variables[1].example", "is required for a text variable")]
    [InlineData("variables[1].personalization_variable", "\"contact.name\"", "variables[1].personalizationVariable", "must be empty for a text variable")]
    [InlineData("variables[0].personalization_variable", "\"contact.lastName\"", "variables[0].personalizationVariable", "must be the variable's name ('contact.firstName') or empty")]
    [InlineData("variables[0].fallback", "\"friend\"", "variables[0].fallback", "must be what content.body writes for it after default")]
    [InlineData("variables[0].fallback", null, "variables[0].fallback", "is missing: content.body writes {{contact.firstName | default: \"there\"}}")]
    [InlineData("variables[0].fallback", "\" \"", "variables[0].fallback", "must be 1 to 200 characters, or absent")]
    [InlineData("variables[1]", "null", "variables[1]", "must be an object")]
    [InlineData("content.body", "\"See you {{appt_date}} at {{appt_place}}\"", "content.body", "{{appt_place}} is not a variable;")]
    [InlineData("content.body", "\"{{contact.lastName}}: {{contact.firstName | default: 'there'}} {{appt_date}} {{appt_time}}\"", "content.body", "{{contact.lastName}} is not one of the template's variables")]
    [InlineData("content.body", "\"{% if x %}{{appt_date}}{% endif %} {{appt_time}} {{contact.firstName | default: 'there'}}\"", "content.body", "{% if %} is a Liquid tag")]
    [InlineData("content.body", "\"Hi {{contact.firstName | default: 'there'}} on {{appt_date}}\"", "variables[2].name", "'appt_time' does not appear in content.body")]
    public async Task A_broken_rule_is_422_naming_the_field_and_nothing_is_written(string path, string? json, string field, string rule)
    {
        var (account, _, client) = await AdminAsync();

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/whats_app/templates", ReminderWith(path, json)))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.Count == 1 && errors.ContainsKey(field), problem.ToJsonString());
        Assert.StartsWith(rule, (string?)errors[field]![0]);
        Assert.Equal(0, await TemplateCountAsync(account));
    }

    [Fact]
    public async Task An_undeclared_plain_name_says_how_to_declare_it()
    {
        var (account, _, client) = await AdminAsync();
        var body = new JsonObject
        {
            ["title"] = "table_ready",
            ["language"] = "es",
            ["content_type"] = "text",
            ["content"] = new JsonObject { ["body"] = "Su mesa para {{party_size}} está lista." },
        };

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/whats_app/templates", body)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("{{party_size}} is not a variable; variables start with contact., user., account.; to give it with each send, declare it in variables: "
            + "{\"name\": \"party_size\", \"type\": \"text\", \"example\": \"…\"}", (string?)problem["errors"]!["content.body"]![0]);
    }

    [Fact]
    public async Task A_text_template_with_quick_replies_and_a_body_over_1024_characters_are_422()
    {
        var (account, _, client) = await AdminAsync();
        var text = ReminderBody();
        text["content_type"] = "text";
        var longBody = ReminderWith("content.body", "\"" + new string('x', 1025) + "\"");

        var textProblem = await (await client.PostJsonAsync($"/{account.Slug}/whats_app/templates", text)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var longProblem = await (await client.PostJsonAsync($"/{account.Slug}/whats_app/templates", longBody)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.StartsWith("must be empty for a text template", (string?)textProblem["errors"]!["content.quickReplies"]![0]);
        Assert.Equal("must be at most 1,024 characters (WhatsApp's limit for a template body)", (string?)longProblem["errors"]!["content.body"]![0]);
        Assert.Equal(0, await TemplateCountAsync(account));
    }

    [Fact]
    public async Task Eleven_quick_replies_and_101_variables_are_422()
    {
        var (account, _, client) = await AdminAsync();
        var replies = ReminderBody();
        replies["content"]!["quick_replies"] = new JsonArray([.. Enumerable.Range(0, 11).Select(i => (JsonNode)new JsonObject { ["id"] = $"r{i}", ["title"] = $"R{i}" })]);
        var variables = ReminderBody();
        variables["variables"] = new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)new JsonObject { ["name"] = $"v{i}", ["type"] = "text", ["example"] = "x" })]);

        var repliesProblem = await (await client.PostJsonAsync($"/{account.Slug}/whats_app/templates", replies)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var variablesProblem = await (await client.PostJsonAsync($"/{account.Slug}/whats_app/templates", variables)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("must hold 1 to 10 quick replies for a quick_reply template (11 given)", (string?)repliesProblem["errors"]!["content.quickReplies"]![0]);
        Assert.Equal("may hold at most 100 variables (101 given)", (string?)variablesProblem["errors"]!["variables"]![0]);
    }

    [Fact]
    public async Task A_contact_schema_field_is_a_personalization_variable_a_template_may_use()
    {
        var (account, _, client) = await AdminAsync();
        await (await client.PostJsonAsync($"/{account.Slug}/contact_schema", new { type = "text", title = "Nickname" })).ExpectAsync(HttpStatusCode.Created);
        var body = ReminderBody();
        body["content"]!["body"] = "Hi {{contact.nickname}}, see you on {{appt_date}} at {{appt_time}}";
        body["variables"]![0] = new JsonObject { ["name"] = "contact.nickname", ["type"] = "personalization_variable" };

        var template = await CreateAsync(client, account, body);

        Assert.Equal("contact.nickname", (string?)template["variables"]![0]!["personalizationVariable"]);
    }

    [Fact]
    public async Task Every_error_of_a_body_is_reported_at_once()
    {
        var (account, _, client) = await AdminAsync();
        var body = ReminderBody();
        body["title"] = "Bad Title";
        body["language"] = "xx-yy";
        body["category"] = "promo";

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/whats_app/templates", body)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["category", "language", "title"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.User)]
    public async Task Only_admins_create_templates_other_members_get_403(string role)
    {
        var account = await api.CreateAccountAsync();
        var member = api.ClientFor(await api.CreateUserAsync(role, account));

        await (await member.PostJsonAsync($"/{account.Slug}/whats_app/templates", ReminderBody())).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(0, await TemplateCountAsync(account));
    }

    [Fact]
    public async Task A_non_member_gets_404_on_create_even_as_a_staff_operator()
    {
        var account = await api.CreateAccountAsync();
        var outsider = api.ClientFor(await api.CreateUserAsync(Roles.Admin, await api.CreateAccountAsync()));

        await (await outsider.PostJsonAsync($"/{account.Slug}/whats_app/templates", ReminderBody())).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await (await StaffOperatorAsync()).PostJsonAsync($"/{account.Slug}/whats_app/templates", ReminderBody())).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0, await TemplateCountAsync(account));
    }

    [Fact]
    public async Task The_same_title_and_language_again_is_409_but_another_language_or_another_account_is_not()
    {
        var (account, _, client) = await AdminAsync();
        var (other, _, otherClient) = await AdminAsync();
        await CreateAsync(client, account);

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/whats_app/templates", ReminderBody())).ExpectProblemAsync(HttpStatusCode.Conflict);
        await CreateAsync(client, account, ReminderBody(language: "es"));
        await CreateAsync(otherClient, other);

        Assert.Equal("The account already has a template 'appointment_reminder' in en_US; delete it first or choose another title.", (string?)problem["detail"]);
        Assert.Equal(2, await TemplateCountAsync(account));
    }

    [Fact]
    public async Task Simultaneous_creates_of_one_title_and_language_give_one_201_and_the_others_409()
    {
        var (account, _, client) = await AdminAsync();

        var responses = await Concurrently.SendAsync(8, _ => client.PostJsonAsync($"/{account.Slug}/whats_app/templates", ReminderBody()));

        Assert.Equal(new Dictionary<int, int> { [201] = 1, [409] = 7 }, responses.CountByStatus());
        Assert.Equal(1, await TemplateCountAsync(account));
    }

    [Fact]
    public async Task A_deleted_templates_title_may_be_used_again()
    {
        var (account, _, client) = await AdminAsync();
        var first = await CreateAsync(client, account);
        await (await client.DeleteAsync((string)first["id"]!)).ExpectAsync204Async();

        var second = await CreateAsync(client, account);

        Assert.NotEqual((string?)first["id"], (string?)second["id"]);
    }

    [Fact]
    public async Task Any_member_reads_a_template_and_another_accounts_member_gets_404()
    {
        var (account, _, client) = await AdminAsync();
        var template = await CreateAsync(client, account);
        var user = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        var outsider = api.ClientFor(await api.CreateUserAsync(Roles.Admin, await api.CreateAccountAsync()));

        var read = await (await user.GetAsync((string)template["id"]!)).ExpectAsync(HttpStatusCode.OK);
        await (await outsider.GetAsync((string)template["id"]!)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await user.GetAsync("/whats_app/templates/nope1234")).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(template.ToJsonString(), read.ToJsonString());
    }

    [Fact]
    public async Task The_account_links_its_templates_and_lists_them_by_title()
    {
        var (account, _, client) = await AdminAsync();
        await CreateAsync(client, account, ReminderBody("zeta"));
        await CreateAsync(client, account, ReminderBody("alpha"));
        await CreateAsync(client, account, ReminderBody("mid"));
        var (other, _, otherClient) = await AdminAsync();
        await CreateAsync(otherClient, other, ReminderBody("alpha"));

        var accountDocument = await (await client.GetAsync($"/accounts/{account.Slug}")).ExpectAsync(HttpStatusCode.OK);
        var list = await (await client.GetAsync((string)accountDocument["whatsAppTemplates"]!)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal($"/{account.Slug}/whats_app/templates", (string?)accountDocument["whatsAppTemplates"]);
        Assert.Equal("hydra:Collection", (string?)list["@type"]);
        Assert.Equal(3, (int?)list["totalItems"]);
        Assert.Equal(["alpha", "mid", "zeta"], list["members"]!.AsArray().Select(m => (string?)m!["title"]));
        Assert.All(list["members"]!.AsArray(), m => Assert.Equal("WhatsApp::Template", (string?)m!["@type"]));
    }

    [Fact]
    public async Task The_list_filters_by_status_title_user_and_quality_and_orders_by_createdAt_or_updatedAt()
    {
        var (account, admin, client) = await AdminAsync();
        var otherAdmin = await api.CreateUserAsync(Roles.Admin, account);
        var staff = await StaffOperatorAsync();
        var approved = await CreateAsync(client, account, ReminderBody("appointment_reminder"));
        var rejected = await CreateAsync(client, account, ReminderBody("appointment_followup"));
        var pending = await CreateAsync(api.ClientFor(otherAdmin), account, ReminderBody("order_update"));
        await (await staff.PutJsonAsync((string)approved["review"]!, new { status = "approved", quality = "high" })).ExpectAsync(HttpStatusCode.OK);
        await (await staff.PutJsonAsync((string)rejected["review"]!, new { status = "rejected", quality = "low" })).ExpectAsync(HttpStatusCode.OK);
        async Task<string[]> TitlesAsync(string query) =>
            [.. (await (await client.GetAsync($"/{account.Slug}/whats_app/templates?{query}")).ExpectAsync(HttpStatusCode.OK))["members"]!.AsArray().Select(m => (string)m!["title"]!)];

        Assert.Equal(["appointment_reminder"], await TitlesAsync("status[]=approved"));
        Assert.Equal(["appointment_followup", "appointment_reminder"], await TitlesAsync("status[]=approved&status[]=rejected"));
        Assert.Equal(["order_update"], await TitlesAsync("status=pending"));
        Assert.Equal(["appointment_followup", "appointment_reminder"], await TitlesAsync("title=APPOINTMENT"));
        Assert.Empty(await TitlesAsync("title=%25"));
        Assert.Equal(["order_update"], await TitlesAsync("user=" + Uri.EscapeDataString(otherAdmin.Iri)));
        Assert.Equal(["appointment_followup", "appointment_reminder"], await TitlesAsync("user=" + Uri.EscapeDataString(admin.Iri)));
        Assert.Equal(["appointment_followup"], await TitlesAsync("quality=low"));
        Assert.Equal(["appointment_reminder"], await TitlesAsync("status[]=approved&quality=high&title=remind"));
        Assert.Equal(["order_update", "appointment_followup", "appointment_reminder"], await TitlesAsync("$orderby=createdAt desc"));
        Assert.Equal(["appointment_followup", "appointment_reminder", "order_update"], await TitlesAsync("$orderby=title"));
        Assert.Equal(["order_update", "appointment_reminder", "appointment_followup"], await TitlesAsync("$orderby=updatedAt"));
        Assert.Equal(["appointment_reminder"], await TitlesAsync("$filter=" + Uri.EscapeDataString("status eq 'approved' and contentType eq 'quick_reply'")));
        Assert.Equal((string?)pending["id"], (string?)(await (await client.GetAsync($"/{account.Slug}/whats_app/templates?status[]=pending")).ExpectAsync(HttpStatusCode.OK))["members"]![0]!["id"]);
    }

    [Theory]
    [InlineData("status[]=approved&status[]=live", "status[]", "'live' is not a status; each must be one of approved, pending, rejected")]
    [InlineData("quality=great", "quality", "must be one of high, medium, low")]
    [InlineData("user=Chuck", "user", "must be the IRI of a user, such as /users/QNDkpL")]
    [InlineData("title=a&title=b", "title", "may be given once")]
    public async Task A_bad_filter_is_422_naming_it(string query, string field, string rule)
    {
        var (account, _, client) = await AdminAsync();

        var problem = await (await client.GetAsync($"/{account.Slug}/whats_app/templates?{query}")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(rule, (string?)problem["errors"]![field]![0]);
    }

    [Fact]
    public async Task A_staff_operator_approves_a_template_with_its_quality_and_updatedAt_moves()
    {
        var (account, _, client) = await AdminAsync();
        var template = await CreateAsync(client, account);
        var staff = await StaffOperatorAsync();

        var approved = await (await staff.PutJsonAsync((string)template["review"]!, new { status = "approved", quality = "high" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(("approved", "high"), ((string?)approved["status"], (string?)approved["quality"]));
        Assert.True((DateTimeOffset)approved["updatedAt"]! > (DateTimeOffset)template["updatedAt"]!);
        Assert.Equal((DateTimeOffset)template["createdAt"]!, (DateTimeOffset)approved["createdAt"]!);
        var stored = await api.WithDbAsync(db => db.WhatsAppTemplates.AsNoTracking().SingleAsync(t => t.Slug == (string)template["slug"]!));
        Assert.Equal(("approved", "high"), (stored.Status, stored.Quality));

        // The same verdict again changes nothing; a new status keeps the quality when none is sent.
        var again = await (await staff.PutJsonAsync((string)template["review"]!, new { status = "approved" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((DateTimeOffset)approved["updatedAt"]!, (DateTimeOffset)again["updatedAt"]!);
        var rejected = await (await staff.PutJsonAsync((string)template["review"]!, new { status = "rejected" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("rejected", "high"), ((string?)rejected["status"], (string?)rejected["quality"]));
    }

    [Fact]
    public async Task Who_may_review_admins_and_staff_viewers_403_outsiders_404_operators_200()
    {
        var (account, _, client) = await AdminAsync();
        var template = await CreateAsync(client, account);
        var review = (string)template["review"]!;
        var viewerMember = api.ClientFor(await api.CreateUserAsync(Roles.Admin, StaffLevel.Viewer, account));
        var viewerOutsider = api.ClientFor(await api.CreateUserAsync(Roles.Admin, StaffLevel.Viewer, await api.CreateAccountAsync()));
        var outsider = api.ClientFor(await api.CreateUserAsync(Roles.Admin, await api.CreateAccountAsync()));
        var body = new { status = "approved" };

        await (await client.PutJsonAsync(review, body)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewerMember.PutJsonAsync(review, body)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewerOutsider.PutJsonAsync(review, body)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PutJsonAsync(review, body)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("pending", await api.WithDbAsync(db => db.WhatsAppTemplates.Where(t => t.Slug == (string)template["slug"]!).Select(t => t.Status).SingleAsync()));

        await (await (await StaffOperatorAsync()).PutJsonAsync(review, body)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_staff_operator_reads_any_accounts_template_and_lists_every_account_to_review()
    {
        var (account, _, client) = await AdminAsync();
        var template = await CreateAsync(client, account, ReminderBody("review_queue_" + account.Id));
        var staff = await StaffOperatorAsync();
        var member = await (await client.GetAsync("/")).ExpectAsync(HttpStatusCode.OK);

        var read = await (await staff.GetAsync((string)template["id"]!)).ExpectAsync(HttpStatusCode.OK);
        var queue = await (await staff.GetAsync($"{(string)member["whatsAppTemplates"]!}?status[]=pending&title=review_queue_{account.Id}")).ExpectAsync(HttpStatusCode.OK);
        await (await client.GetAsync((string)member["whatsAppTemplates"]!)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal((string?)template["id"], (string?)read["id"]);
        Assert.Equal([(string)template["id"]!], queue.MemberIds());
    }

    [Fact]
    public async Task A_staff_operator_outside_the_account_neither_lists_its_templates_nor_deletes_one()
    {
        var (account, _, client) = await AdminAsync();
        var template = await CreateAsync(client, account);
        var staff = await StaffOperatorAsync();

        await (await staff.GetAsync($"/{account.Slug}/whats_app/templates")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await staff.DeleteAsync((string)template["id"]!)).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Null(await api.WithDbAsync(db => db.WhatsAppTemplates.Where(t => t.Slug == (string)template["slug"]!).Select(t => t.DeletedAt).SingleAsync()));
    }

    [Theory]
    [InlineData("""{}""", "status", "is required: one of approved, pending, rejected")]
    [InlineData("""{"status":"APPROVED"}""", "status", "must be one of approved, pending, rejected")]
    [InlineData("""{"status":"approved","quality":"great"}""", "quality", "must be one of high, medium, low, or absent")]
    [InlineData("""{"status":1}""", "status", "must be a string")]
    public async Task A_bad_review_is_422_and_changes_nothing(string body, string field, string rule)
    {
        var (account, _, client) = await AdminAsync();
        var template = await CreateAsync(client, account);

        var problem = await (await (await StaffOperatorAsync()).SendRawAsync(HttpMethod.Put, (string)template["review"]!, body))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(rule, (string?)problem["errors"]![field]![0]);
        Assert.Equal("pending", await api.WithDbAsync(db => db.WhatsAppTemplates.Where(t => t.Slug == (string)template["slug"]!).Select(t => t.Status).SingleAsync()));
    }

    [Fact]
    public async Task Simultaneous_reviews_all_answer_200_and_one_verdict_stands()
    {
        var (account, _, client) = await AdminAsync();
        var template = await CreateAsync(client, account);
        var staff = await StaffOperatorAsync();
        string[] statuses = ["approved", "rejected", "pending"];

        var responses = await Concurrently.SendAsync(12, i => staff.PutJsonAsync((string)template["review"]!, new { status = statuses[i % 3], quality = "medium" }));

        Assert.Equal(new Dictionary<int, int> { [200] = 12 }, responses.CountByStatus());
        var stored = await api.WithDbAsync(db => db.WhatsAppTemplates.AsNoTracking().SingleAsync(t => t.Slug == (string)template["slug"]!));
        Assert.Contains(stored.Status, statuses);
        Assert.Equal("medium", stored.Quality);
    }

    [Fact]
    public async Task An_admin_deletes_a_template_it_leaves_the_list_and_still_reads_with_deletedAt()
    {
        var (account, _, client) = await AdminAsync();
        var template = await CreateAsync(client, account);
        var id = (string)template["id"]!;

        await (await client.DeleteAsync(id)).ExpectAsync204Async();

        var read = await (await client.GetAsync(id)).ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(read["deletedAt"]);
        Assert.Null(read["review"]);
        var list = await (await client.GetAsync($"/{account.Slug}/whats_app/templates")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, (int?)list["totalItems"]);
        Assert.NotNull(await api.WithDbAsync(db => db.WhatsAppTemplates.Where(t => t.Slug == (string)template["slug"]!).Select(t => t.DeletedAt).SingleAsync()));
        await (await client.DeleteAsync(id)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var problem = await (await (await StaffOperatorAsync()).PutJsonAsync((string)template["review"]!, new { status = "approved" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("The template has been deleted; a deleted template is not reviewed.", (string?)problem["detail"]);
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.User)]
    public async Task Only_admins_delete_other_members_get_403(string role)
    {
        var (account, _, client) = await AdminAsync();
        var template = await CreateAsync(client, account);
        var member = api.ClientFor(await api.CreateUserAsync(role, StaffLevel.Operator, account));

        await (await member.DeleteAsync((string)template["id"]!)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Null(await api.WithDbAsync(db => db.WhatsAppTemplates.Where(t => t.Slug == (string)template["slug"]!).Select(t => t.DeletedAt).SingleAsync()));
    }

    [Fact]
    public async Task Simultaneous_deletes_give_one_204_and_the_others_404()
    {
        var (account, _, client) = await AdminAsync();
        var template = await CreateAsync(client, account);

        var responses = await Concurrently.SendAsync(6, _ => client.DeleteAsync((string)template["id"]!));

        Assert.Equal(new Dictionary<int, int> { [204] = 1, [404] = 5 }, responses.CountByStatus());
    }

    [Fact]
    public async Task A_message_sent_from_a_template_embeds_it_and_keeps_it_once_deleted()
    {
        var (account, admin, client) = await AdminAsync();
        var template = await CreateAsync(client, account);
        var templateId = await api.WithDbAsync(db => db.WhatsAppTemplates.Where(t => t.Slug == (string)template["slug"]!).Select(t => t.Id).SingleAsync());
        var message = Texts.OutgoingMessage(account.Id, account.PhoneNumbers[0], "+13035550131", DateTimeOffset.UtcNow);
        (message.Channel, message.WhatsAppTemplateId, message.SenderId, message.Body) = ("whatsapp", templateId, admin.Id, "Hi there, please confirm your appointment on 1/1 at 12:00:");
        var (_, conversation) = await api.RecordOutgoingAsync(message);
        var plain = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035550132", body = "Plain" })).ExpectAsync(HttpStatusCode.Created);

        var read = await (await client.GetAsync($"/messages/{message.Slug}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("whatsapp", (string?)read["channel"]);
        Assert.Equal(template.ToJsonString(), read["whatsAppTemplate"]!.ToJsonString());
        Assert.Equal(("sms", null), ((string?)plain["channel"], plain["whatsAppTemplate"]));

        await (await client.DeleteAsync((string)template["id"]!)).ExpectAsync204Async();

        var afterDelete = await (await client.GetAsync($"/messages/{message.Slug}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((string?)template["id"], (string?)afterDelete["whatsAppTemplate"]!["id"]);
        Assert.Equal("WhatsApp::Template", (string?)afterDelete["whatsAppTemplate"]!["@type"]);
        Assert.Equal("/contexts/WhatsApp::Template.jsonld", (string?)afterDelete["whatsAppTemplate"]!["@context"]);
        Assert.NotNull(afterDelete["whatsAppTemplate"]!["deletedAt"]);
        var conversationDocument = await (await client.GetAsync($"/conversations/{conversation}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((string?)template["id"], (string?)conversationDocument["latestPreviewableItem"]!["whatsAppTemplate"]!["id"]);
        var timeline = await (await client.GetAsync((string)conversationDocument["timeline"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((string?)template["id"], (string?)timeline["members"]![0]!["whatsAppTemplate"]!["id"]);
    }
}

/// <summary>A 204 has no body to parse.</summary>
internal static class NoContentResponses
{
    public static async Task ExpectAsync204Async(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"Expected 204, got {(int)response.StatusCode}: {text}");
    }
}
