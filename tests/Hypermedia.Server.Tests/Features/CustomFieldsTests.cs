using System.Net;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.CustomFields;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

public sealed class CustomFieldsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(Account Account, HttpClient Admin, TestUser User)> AdminAsync()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        return (account, api.ClientFor(admin), admin);
    }

    private static async Task<JsonNode> CreateFieldAsync(HttpClient client, string account, string type, string title, string schema = "contact_schema", string? slug = null)
    {
        object body = slug is null ? new { type, title, description = "d" } : new { type, title, description = "d", slug };
        return await (await client.PostJsonAsync($"/{account}/{schema}", body)).ExpectAsync(HttpStatusCode.Created);
    }

    private static async Task<JsonNode> CreateContactAsync(HttpClient client, string account, object customFields, string number = "3035550140") =>
        await (await client.PostJsonAsync($"/{account}/contacts", new { name = "Ada Lovelace", phones = new[] { new { number } }, customFields }))
            .ExpectAsync(HttpStatusCode.Created);

    private Task<string> StoredValuesAsync(string contactIri)
    {
        var slug = contactIri.Split('/')[^1];
        return api.WithDbAsync(db => db.Contacts.Where(c => c.Slug == slug).Select(c => c.CustomValues).SingleAsync());
    }

    private Task<long> FieldIdAsync(long accountId, string schema, string slug) =>
        api.WithDbAsync(db => db.CustomFields.Where(f => f.AccountId == accountId && f.Schema == schema && f.Slug == slug).Select(f => f.Id).SingleAsync());

    [Fact]
    public async Task An_accounts_contact_schema_starts_empty_with_its_fields_collection_embedded()
    {
        var (account, client, _) = await AdminAsync();

        var schema = await (await client.GetAsync($"/{account.Slug}/contact_schema")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("ContactSchema", (string?)schema["@type"]);
        Assert.Equal("/contexts/ContactSchema.jsonld", (string?)schema["@context"]);
        Assert.Equal($"/{account.Slug}/contact_schema", (string?)schema["id"]);
        Assert.Equal($"/accounts/{account.Slug}", (string?)schema["account"]);
        Assert.Equal("hydra:Collection", (string?)schema["fields"]!["@type"]);
        Assert.Equal($"/{account.Slug}/contact_schema/fields", (string?)schema["fields"]!["id"]);
        Assert.Equal(0, (int?)schema["fields"]!["totalItems"]);
    }

    [Fact]
    public async Task The_account_links_both_schemas()
    {
        var (account, client, _) = await AdminAsync();

        var document = await (await client.GetAsync($"/accounts/{account.Slug}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal($"/{account.Slug}/contact_schema", (string?)document["contactSchema"]);
        Assert.Equal($"/{account.Slug}/user_schema", (string?)document["userSchema"]);
    }

    [Fact]
    public async Task An_admin_adds_a_field_201_with_location_and_the_slug_derived_from_the_title()
    {
        var (account, client, _) = await AdminAsync();

        var response = await client.PostJsonAsync($"/{account.Slug}/contact_schema", new { type = "url", title = "Calendar Link", description = "Where to book" });
        var field = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal($"/{account.Slug}/contact_schema/calendar-link", (string?)field["id"]);
        Assert.Equal((string?)field["id"], response.Headers.Location?.OriginalString);
        Assert.Equal("CustomField", (string?)field["@type"]);
        Assert.Equal("/contexts/CustomField.jsonld", (string?)field["@context"]);
        Assert.Equal("calendar-link", (string?)field["slug"]);
        Assert.Equal("Calendar Link", (string?)field["title"]);
        Assert.Equal("url", (string?)field["type"]);
        Assert.Equal("Where to book", (string?)field["description"]);
        Assert.False((bool)field["inUse"]!);
        Assert.NotNull(field["createdAt"]);
        var row = await api.WithDbAsync(db => db.CustomFields.SingleAsync(f => f.AccountId == account.Id));
        Assert.Equal((CustomFieldSchemas.Contact, "calendar-link", "url"), (row.Schema, row.Slug, row.Type));
        var schema = await (await client.GetAsync($"/{account.Slug}/contact_schema")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([(string)field["id"]!], schema["fields"]!.MemberIds());
    }

    [Theory]
    [InlineData("Préférence Client", "preference-client")]
    [InlineData("  Lead  source / 2024 ", "lead-source-2024")]
    [InlineData("2nd Phone", "nd-phone")]
    [InlineData("account_manager", "account_manager")]
    public async Task A_slug_is_derived_from_the_title_in_lower_case(string title, string slug)
    {
        var (account, client, _) = await AdminAsync();

        var field = await CreateFieldAsync(client, account.Slug, "text", title);

        Assert.Equal(slug, (string?)field["slug"]);
    }

    [Fact]
    public async Task A_slug_sent_is_kept_and_the_same_in_the_user_schema_is_another_field()
    {
        var (account, client, _) = await AdminAsync();

        var contactField = await CreateFieldAsync(client, account.Slug, "url", "Calendar", slug: "calendar");
        var userField = await CreateFieldAsync(client, account.Slug, "url", "Calendar", "user_schema", slug: "calendar");

        Assert.Equal($"/{account.Slug}/contact_schema/calendar", (string?)contactField["id"]);
        Assert.Equal($"/{account.Slug}/user_schema/calendar", (string?)userField["id"]);
        Assert.Equal(2, await api.WithDbAsync(db => db.CustomFields.CountAsync(f => f.AccountId == account.Id)));
    }

    [Theory]
    [InlineData("""{"type":"text","title":"T","slug":"Has-Caps"}""", "slug", "must be 1 to 63 lower-case letters")]
    [InlineData("""{"type":"text","title":"T","slug":"-dash"}""", "slug", "must be 1 to 63 lower-case letters")]
    [InlineData("""{"type":"text","title":"T","slug":"ends-"}""", "slug", "must be 1 to 63 lower-case letters")]
    [InlineData("""{"type":"text","title":"T","slug":"9lives"}""", "slug", "must be 1 to 63 lower-case letters")]
    [InlineData("""{"type":"text","title":"T","slug":"a b"}""", "slug", "must be 1 to 63 lower-case letters")]
    [InlineData("""{"type":"text","title":"T","slug":"firstname"}""", "slug", "'firstname' is reserved")]
    [InlineData("""{"type":"text","title":"T","slug":"fields"}""", "slug", "'fields' is reserved")]
    [InlineData("""{"type":"text","title":"Name"}""", "slug", "'name' (derived from the title) is reserved")]
    [InlineData("""{"type":"text","title":"!!!"}""", "slug", "cannot be derived from the title")]
    [InlineData("""{"type":"text"}""", "title", "is required")]
    [InlineData("""{"type":"text","title":"   "}""", "title", "is required")]
    [InlineData("""{"title":"T"}""", "type", "is required: one of date, email, number, telephone, text, time, url, calendar_day")]
    [InlineData("""{"type":"boolean","title":"T"}""", "type", "must be one of date, email, number, telephone, text, time, url, calendar_day")]
    [InlineData("""{"type":"URL","title":"T"}""", "type", "must be one of")]
    public async Task A_bad_field_is_422_naming_the_rule_and_nothing_is_written(string body, string field, string rule)
    {
        var (account, client, _) = await AdminAsync();

        var problem = await (await client.SendRawAsync(HttpMethod.Post, $"/{account.Slug}/contact_schema", body)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.StartsWith(rule, (string?)problem["errors"]![field]![0]);
        Assert.Equal(0, await api.WithDbAsync(db => db.CustomFields.CountAsync(f => f.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_title_of_70_characters_is_accepted_and_71_is_422()
    {
        var (account, client, _) = await AdminAsync();

        await CreateFieldAsync(client, account.Slug, "text", new string('a', 70));
        var problem = await (await client.PostJsonAsync($"/{account.Slug}/contact_schema", new { type = "text", title = new string('b', 71) }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("must be at most 70 characters", (string?)problem["errors"]!["title"]![0]);
    }

    [Fact]
    public async Task A_slug_taken_in_the_schema_is_409()
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, "text", "Nickname");

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/contact_schema", new { type = "url", title = "Nick name", slug = "nickname" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("The contact schema already has a field with the slug 'nickname'.", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Of_parallel_posts_of_one_slug_exactly_one_is_201_and_the_others_409()
    {
        var (account, client, _) = await AdminAsync();

        var responses = await Concurrently.SendAsync(8, i => client.PostJsonAsync($"/{account.Slug}/user_schema", new { type = "url", title = "Calendar " + i, slug = "calendar" }));

        Assert.Equal(new Dictionary<int, int> { [201] = 1, [409] = 7 }, responses.CountByStatus());
        foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("The user schema already has a field with the slug 'calendar'.", (string?)(await refused.ExpectProblemAsync(HttpStatusCode.Conflict))["detail"]);
        }

        Assert.Equal(1, await api.WithDbAsync(db => db.CustomFields.CountAsync(f => f.AccountId == account.Id && f.Slug == "calendar")));
    }

    [Fact]
    public async Task A_schema_holds_at_most_100_fields()
    {
        var (account, client, _) = await AdminAsync();
        await api.WithDbAsync(async db =>
        {
            db.CustomFields.AddRange(Enumerable.Range(0, 100).Select(i => new CustomField
            {
                AccountId = account.Id,
                Schema = CustomFieldSchemas.Contact,
                Slug = $"f{i}",
                Title = $"F{i}",
                Type = "text",
                CreatedAt = DateTimeOffset.UtcNow,
            }));
            return await db.SaveChangesAsync();
        });

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/contact_schema", new { type = "text", title = "One more" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("The contact schema already holds 100 fields, the most it may.", (string?)problem["detail"]);
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.User)]
    public async Task A_member_who_is_not_admin_reads_the_schemas_but_writing_is_403(string role)
    {
        var (account, admin, _) = await AdminAsync();
        await CreateFieldAsync(admin, account.Slug, "text", "Nickname");
        var member = api.ClientFor(await api.CreateUserAsync(role, account));

        await (await member.GetAsync($"/{account.Slug}/contact_schema")).ExpectAsync(HttpStatusCode.OK);
        await (await member.GetAsync($"/{account.Slug}/user_schema/fields")).ExpectAsync(HttpStatusCode.OK);
        await (await member.GetAsync($"/{account.Slug}/contact_schema/nickname")).ExpectAsync(HttpStatusCode.OK);
        var post = await (await member.PostJsonAsync($"/{account.Slug}/user_schema", new { type = "url", title = "Calendar" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var put = await (await member.PutJsonAsync($"/{account.Slug}/contact_schema/nickname", new { title = "Changed" })).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("Only an admin of this account may do this.", (string?)post["detail"]);
        Assert.Equal("Only an admin of this account may do this.", (string?)put["detail"]);
        Assert.Equal(["Nickname"], await api.WithDbAsync(db => db.CustomFields.Where(f => f.AccountId == account.Id).Select(f => f.Title).ToListAsync()));
    }

    [Fact]
    public async Task A_non_member_gets_404_on_every_schema_route_and_nothing_changes()
    {
        var (account, admin, _) = await AdminAsync();
        await CreateFieldAsync(admin, account.Slug, "text", "Nickname");
        var outsider = api.ClientFor(await api.CreateUserAsync(Roles.Admin, await api.CreateAccountAsync()));

        await (await outsider.GetAsync($"/{account.Slug}/contact_schema")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"/{account.Slug}/contact_schema/fields")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"/{account.Slug}/contact_schema/nickname")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PostJsonAsync($"/{account.Slug}/contact_schema", new { type = "text", title = "Mine" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PutJsonAsync($"/{account.Slug}/contact_schema/nickname", new { title = "Mine" })).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(["Nickname"], await api.WithDbAsync(db => db.CustomFields.Where(f => f.AccountId == account.Id).Select(f => f.Title).ToListAsync()));
    }

    [Fact]
    public async Task An_unknown_field_is_404()
    {
        var (account, client, _) = await AdminAsync();

        await (await client.GetAsync($"/{account.Slug}/contact_schema/nope")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.PutJsonAsync($"/{account.Slug}/user_schema/nope", new { title = "x" })).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_changes_title_and_description_keeps_the_slug_and_the_values_stay()
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, "text", "Nickname");
        var contact = await CreateContactAsync(client, account.Slug, new { nickname = "Ada" });

        var field = await (await client.PutJsonAsync($"/{account.Slug}/contact_schema/nickname", new { title = "Preferred name", description = "What they like to be called" }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal($"/{account.Slug}/contact_schema/nickname", (string?)field["id"]);
        Assert.Equal("Preferred name", (string?)field["title"]);
        Assert.Equal("What they like to be called", (string?)field["description"]);
        Assert.True((bool)field["inUse"]!);
        var read = await (await client.GetAsync((string)contact["id"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Ada", (string?)read["customFields"]!["nickname"]);
    }

    [Fact]
    public async Task The_type_changes_while_no_value_exists_and_is_409_once_one_does()
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, "text", "Birthday");

        var changed = await (await client.PutJsonAsync($"/{account.Slug}/contact_schema/birthday", new { type = "calendar_day" })).ExpectAsync(HttpStatusCode.OK);
        await CreateContactAsync(client, account.Slug, new { birthday = "--07-04" });
        var problem = await (await client.PutJsonAsync($"/{account.Slug}/contact_schema/birthday", new { type = "date" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        var same = await (await client.PutJsonAsync($"/{account.Slug}/contact_schema/birthday", new { type = "calendar_day", title = "Birthday" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("calendar_day", (string?)changed["type"]);
        Assert.Contains("its type cannot change while any contact has a value for it", (string?)problem["detail"]);
        Assert.Equal("calendar_day", (string?)same["type"]);
        Assert.Equal("calendar_day", await api.WithDbAsync(db => db.CustomFields.Where(f => f.AccountId == account.Id).Select(f => f.Type).SingleAsync()));
    }

    [Fact]
    public async Task In_use_says_whether_a_contact_holds_a_value()
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, "text", "Nickname");
        await CreateFieldAsync(client, account.Slug, "text", "Unused");
        var contact = await CreateContactAsync(client, account.Slug, new { nickname = "Ada" });

        var used = await (await client.GetAsync($"/{account.Slug}/contact_schema")).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync((string)contact["id"]!, new { customFields = new { nickname = (string?)null } })).ExpectAsync(HttpStatusCode.OK);
        var unused = await (await client.GetAsync($"/{account.Slug}/contact_schema/nickname")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([true, false], used["fields"]!["members"]!.AsArray().Select(m => (bool)m!["inUse"]!));
        Assert.False((bool)unused["inUse"]!);
    }

    [Fact]
    public async Task The_fields_collection_takes_query_options()
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, "text", "Nickname");
        await CreateFieldAsync(client, account.Slug, "url", "Calendar");
        await CreateFieldAsync(client, account.Slug, "url", "Website");

        var urls = await (await client.GetAsync($"/{account.Slug}/contact_schema/fields?$filter=type eq 'url'&$orderby=slug desc")).ExpectAsync(HttpStatusCode.OK);
        var first = await (await client.GetAsync($"/{account.Slug}/contact_schema/fields?$top=1")).ExpectAsync(HttpStatusCode.OK);
        var bad = await (await client.GetAsync($"/{account.Slug}/contact_schema/fields?$filter=nope eq 1")).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([$"/{account.Slug}/contact_schema/website", $"/{account.Slug}/contact_schema/calendar"], urls.MemberIds());
        Assert.Equal([$"/{account.Slug}/contact_schema/nickname"], first.MemberIds());
        Assert.Equal(3, (int?)first["totalItems"]);
        Assert.NotNull(first["view"]!["next"]);
        Assert.NotNull(bad["errors"]!["$filter"]);
    }

    [Fact]
    public async Task Contact_values_are_stored_by_field_id_and_shown_by_slug()
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, "text", "Nickname");
        await CreateFieldAsync(client, account.Slug, "number", "Score");

        var contact = await CreateContactAsync(client, account.Slug, new { nickname = "  Ada  ", score = 42.5 });

        Assert.Equal("""{"nickname":"Ada","score":42.5}""", contact["customFields"]!.ToJsonString());
        var nickname = await FieldIdAsync(account.Id, CustomFieldSchemas.Contact, "nickname");
        var score = await FieldIdAsync(account.Id, CustomFieldSchemas.Contact, "score");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"{{nickname}}":"Ada","{{score}}":42.5}"""), JsonNode.Parse(await StoredValuesAsync((string)contact["id"]!))));
        var listed = await (await client.GetAsync($"/{account.Slug}/contacts")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Ada", (string?)listed["members"]![0]!["customFields"]!["nickname"]);
    }

    [Fact]
    public async Task A_contact_without_values_shows_an_empty_object()
    {
        var (account, client, _) = await AdminAsync();

        var contact = await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "No Values", phones = new[] { new { number = "3035550141" } } }))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("{}", contact["customFields"]!.ToJsonString());
    }

    [Fact]
    public async Task Put_sets_and_null_removes_a_value_and_other_values_stay()
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, "text", "Nickname");
        await CreateFieldAsync(client, account.Slug, "email", "Work email");
        var contact = await CreateContactAsync(client, account.Slug, new { nickname = "Ada" });

        var both = await (await client.PutJsonAsync((string)contact["id"]!, new { customFields = new Dictionary<string, string> { ["work-email"] = "ada@example.com" } }))
            .ExpectAsync(HttpStatusCode.OK);
        var one = await (await client.PutJsonAsync((string)contact["id"]!, new { customFields = new { nickname = (string?)null } })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("""{"nickname":"Ada","work-email":"ada@example.com"}""", both["customFields"]!.ToJsonString());
        Assert.Equal("""{"work-email":"ada@example.com"}""", one["customFields"]!.ToJsonString());
        Assert.DoesNotContain(":\"Ada\"", await StoredValuesAsync((string)contact["id"]!));
    }

    [Fact]
    public async Task An_unknown_slug_is_422_naming_it_and_listing_the_fields()
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, "text", "Nickname");

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/contacts",
            new { name = "A", phones = new[] { new { number = "3035550142" } }, customFields = new { nick_name = "Ada" } })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["customFields.nick_name"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal("is not a field of this account's contact schema (known: nickname)", (string?)problem["errors"]!["customFields.nick_name"]![0]);
        Assert.Equal(0, await api.WithDbAsync(db => db.Contacts.CountAsync(c => c.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_field_of_another_account_or_of_the_user_schema_is_unknown_on_a_contact()
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, "url", "Calendar", "user_schema");
        var (other, otherAdmin, _) = await AdminAsync();
        await CreateFieldAsync(otherAdmin, other.Slug, "text", "Nickname");

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/contacts",
            new { name = "A", phones = new[] { new { number = "3035550143" } }, customFields = new { calendar = "https://a.example", nickname = "Ada" } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["customFields.calendar", "customFields.nickname"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Equal("is not a field of this account's contact schema (the account's contact schema has no fields)", (string?)problem["errors"]!["customFields.calendar"]![0]);
    }

    public static TheoryData<string, string, string> AcceptedValues => new()
    {
        { "date", "\"2024-02-29\"", "\"2024-02-29\"" },
        { "email", "\"ada@example.com\"", "\"ada@example.com\"" },
        { "email", "\"first.last+tag@mail.example.co.uk\"", "\"first.last+tag@mail.example.co.uk\"" },
        { "number", "42", "42" },
        { "number", "-1.5", "-1.5" },
        { "number", "\"17\"", "17" },
        { "number", "1e3", "1000" },
        { "telephone", "\"+13035551234\"", "\"+13035551234\"" },
        { "telephone", "\"(303) 555-1234\"", "\"+13035551234\"" },
        { "text", "\"x\"", "\"x\"" },
        { "text", "\"" + new string('t', 70) + "\"", "\"" + new string('t', 70) + "\"" },
        { "text", "\"Tom & Jerry <3\"", "\"Tom & Jerry <3\"" },
        { "time", "\"09:30\"", "\"09:30\"" },
        { "time", "\"23:59:59\"", "\"23:59:59\"" },
        { "time", "\"08:15:30.250\"", "\"08:15:30.250\"" },
        { "url", "\"https://calend.ly/chuck-norris\"", "\"https://calend.ly/chuck-norris\"" },
        { "url", "\"http://example.com:8080/a?b=c\"", "\"http://example.com:8080/a?b=c\"" },
        { "calendar_day", "\"--07-04\"", "\"--07-04\"" },
        { "calendar_day", "\"--02-29\"", "\"--02-29\"" },
    };

    [Theory]
    [MemberData(nameof(AcceptedValues))]
    public async Task Each_type_accepts_its_format(string type, string value, string shown)
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, type, "Value", slug: "value");

        var response = await client.SendRawAsync(HttpMethod.Post, $"/{account.Slug}/contacts",
            "{\"name\":\"A\",\"phones\":[{\"number\":\"3035550144\"}],\"customFields\":{\"value\":" + value + "}}");
        var contact = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(shown), contact["customFields"]!["value"]), $"{shown} != {contact["customFields"]}");
    }

    public static TheoryData<string, string, string> RefusedValues => new()
    {
        { "date", "\"2024-02-30\"", "must be a date written YYYY-MM-DD" },
        { "date", "\"07/04/2024\"", "must be a date written YYYY-MM-DD" },
        { "date", "\"2024-07-04T10:00:00Z\"", "must be a date written YYYY-MM-DD" },
        { "date", "20240704", "must be a string: a date written YYYY-MM-DD" },
        { "email", "\"ada\"", "must be an email address with a local part and a domain" },
        { "email", "\"@example.com\"", "must be an email address with a local part and a domain" },
        { "email", "\"ada@localhost\"", "must be an email address with a local part and a domain" },
        { "number", "\"forty-two\"", "must be an integer or a decimal fraction, such as 42 or -1.5 (at most 28 digits)" },
        { "number", "true", "must be a number: an integer or a decimal fraction" },
        { "number", "1e400", "must be an integer or a decimal fraction" },
        { "number", "12345678901234567890123456789012", "must be an integer or a decimal fraction" },
        { "telephone", "\"12345\"", "must be a phone number (stored in E.164" },
        { "telephone", "\"+13035551234 x12\"", "must be a phone number (stored in E.164" },
        { "text", "\"   \"", "must be text of 1 to 70 characters" },
        { "time", "\"9:30\"", "must be a local time in ISO 8601 without an offset" },
        { "time", "\"24:00\"", "must be a local time in ISO 8601 without an offset" },
        { "time", "\"09:30+02:00\"", "must be a local time in ISO 8601 without an offset" },
        { "url", "\"calend.ly/chuck\"", "must be an http or https URL with a host" },
        { "url", "\"ftp://example.com/file\"", "must be an http or https URL with a host" },
        { "url", "\"javascript:alert(1)\"", "must be an http or https URL with a host" },
        { "calendar_day", "\"07-04\"", "must be a day of the year written --MM-DD" },
        { "calendar_day", "\"--13-01\"", "must be a day of the year written --MM-DD" },
        { "calendar_day", "\"--04-31\"", "must be a day of the year written --MM-DD" },
        { "calendar_day", "{\"m\":7}", "must be a string: a day of the year written --MM-DD" },
    };

    [Theory]
    [MemberData(nameof(RefusedValues))]
    public async Task Each_type_refuses_a_value_of_another_shape_with_422_naming_the_field_and_the_rule(string type, string value, string rule)
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, type, "Value", slug: "value");

        var problem = await (await client.SendRawAsync(HttpMethod.Post, $"/{account.Slug}/contacts",
            "{\"name\":\"A\",\"phones\":[{\"number\":\"3035550145\"}],\"customFields\":{\"value\":" + value + "}}")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["customFields.value"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.StartsWith(rule, (string?)problem["errors"]!["customFields.value"]![0]);
        Assert.Equal(0, await api.WithDbAsync(db => db.Contacts.CountAsync(c => c.AccountId == account.Id)));
    }

    [Fact]
    public async Task Text_of_71_characters_is_refused()
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, "text", "Nickname");

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/contacts",
            new { name = "A", phones = new[] { new { number = "3035550146" } }, customFields = new { nickname = new string('n', 71) } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("must be text of 1 to 70 characters", (string?)problem["errors"]!["customFields.nickname"]![0]);
    }

    private static string Calendar(string account) => $"/{account}/user_schema/calendar";

    private static object CustomSettings(string iri, string? value) => new { settings = new { customSettings = new Dictionary<string, string?> { [iri] = value } } };

    [Fact]
    public async Task A_user_sets_their_own_custom_setting_keyed_by_the_fields_iri()
    {
        var (account, admin, _) = await AdminAsync();
        await CreateFieldAsync(admin, account.Slug, "url", "Calendar", "user_schema");
        var member = await api.CreateUserAsync(Roles.User, account);
        var client = api.ClientFor(member);

        var user = await (await client.PutJsonAsync(member.Iri, CustomSettings(Calendar(account.Slug), "https://calend.ly/chuck-norris"))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("https://calend.ly/chuck-norris", (string?)user["settings"]!["customSettings"]![Calendar(account.Slug)]);
        var read = await (await admin.GetAsync(member.Iri)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("https://calend.ly/chuck-norris", (string?)read["settings"]!["customSettings"]![Calendar(account.Slug)]);
        var fieldId = await FieldIdAsync(account.Id, CustomFieldSchemas.User, "calendar");
        Assert.Equal($$"""{"{{fieldId}}": "https://calend.ly/chuck-norris"}""",
            await api.WithDbAsync(db => db.Users.Where(u => u.Id == member.Id).Select(u => u.CustomValues).SingleAsync()));
        var schema = await (await admin.GetAsync($"/{account.Slug}/user_schema")).ExpectAsync(HttpStatusCode.OK);
        Assert.True((bool)schema["fields"]!["members"]![0]!["inUse"]!);
    }

    [Fact]
    public async Task Null_removes_a_custom_setting()
    {
        var (account, admin, adminUser) = await AdminAsync();
        await CreateFieldAsync(admin, account.Slug, "url", "Calendar", "user_schema");
        await (await admin.PutJsonAsync(adminUser.Iri, CustomSettings(Calendar(account.Slug), "https://calend.ly/a"))).ExpectAsync(HttpStatusCode.OK);

        var user = await (await admin.PutJsonAsync(adminUser.Iri, CustomSettings(Calendar(account.Slug), null))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("{}", user["settings"]!["customSettings"]!.ToJsonString());
        Assert.Equal("{}", await api.WithDbAsync(db => db.Users.Where(u => u.Id == adminUser.Id).Select(u => u.CustomValues).SingleAsync()));
    }

    [Fact]
    public async Task A_custom_setting_of_the_wrong_type_or_an_unknown_iri_is_422_naming_the_key()
    {
        var (account, admin, adminUser) = await AdminAsync();
        await CreateFieldAsync(admin, account.Slug, "url", "Calendar", "user_schema");
        var (other, otherAdmin, _) = await AdminAsync();
        await CreateFieldAsync(otherAdmin, other.Slug, "url", "Calendar", "user_schema");

        var wrong = await (await admin.PutJsonAsync(adminUser.Iri, CustomSettings(Calendar(account.Slug), "calend.ly/chuck"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var foreign = await (await admin.PutJsonAsync(adminUser.Iri, CustomSettings(Calendar(other.Slug), "https://a.example"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var contactField = await (await admin.PutJsonAsync(adminUser.Iri, CustomSettings($"/{account.Slug}/contact_schema/calendar", "https://a.example")))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("must be an http or https URL with a host, such as https://example.com/page",
            (string?)wrong["errors"]![$"settings.customSettings.{Calendar(account.Slug)}"]![0]);
        Assert.StartsWith("is not the IRI of a field of the user schema of an account the user belongs to",
            (string?)foreign["errors"]![$"settings.customSettings.{Calendar(other.Slug)}"]![0]);
        Assert.NotNull(contactField["errors"]![$"settings.customSettings./{account.Slug}/contact_schema/calendar"]);
        Assert.Equal("{}", await api.WithDbAsync(db => db.Users.Where(u => u.Id == adminUser.Id).Select(u => u.CustomValues).SingleAsync()));
    }

    [Fact]
    public async Task Only_the_user_or_whoever_controls_them_changes_their_custom_settings()
    {
        var (account, admin, _) = await AdminAsync();
        await CreateFieldAsync(admin, account.Slug, "url", "Calendar", "user_schema");
        var elsewhere = await api.CreateAccountAsync();
        var member = await api.CreateUserAsync(Roles.User, account, elsewhere);
        var plain = api.ClientFor(await api.CreateUserAsync(Roles.User, account));

        var notInControl = await (await admin.PutJsonAsync(member.Iri, CustomSettings(Calendar(account.Slug), "https://a.example"))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var invisible = await (await plain.PutJsonAsync(member.Iri, CustomSettings(Calendar(account.Slug), "https://a.example"))).ExpectProblemAsync(HttpStatusCode.NotFound);
        var self = await (await api.ClientFor(member).PutJsonAsync(member.Iri, CustomSettings(Calendar(account.Slug), "https://b.example"))).ExpectAsync(HttpStatusCode.OK);
        var sentBack = await (await admin.PutJsonAsync(member.Iri, CustomSettings(Calendar(account.Slug), "https://b.example"))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Only the user, an admin of every account they belong to, or staff may change their settings (customSettings, appendSignature).", (string?)notInControl["detail"]);
        Assert.NotNull(invisible["detail"]);
        Assert.Equal("https://b.example", (string?)self["settings"]!["customSettings"]![Calendar(account.Slug)]);
        Assert.Equal("https://b.example", (string?)sentBack["settings"]!["customSettings"]![Calendar(account.Slug)]);
    }

    [Fact]
    public async Task A_users_settings_show_only_values_of_accounts_the_reader_belongs_to()
    {
        var (account, admin, _) = await AdminAsync();
        var (other, otherAdmin, _) = await AdminAsync();
        await CreateFieldAsync(admin, account.Slug, "url", "Calendar", "user_schema");
        await CreateFieldAsync(otherAdmin, other.Slug, "url", "Calendar", "user_schema");
        var member = await api.CreateUserAsync(Roles.User, account, other);
        var client = api.ClientFor(member);
        await (await client.PutJsonAsync(member.Iri, new
        {
            settings = new { customSettings = new Dictionary<string, string> { [Calendar(account.Slug)] = "https://a.example", [Calendar(other.Slug)] = "https://b.example" } },
        })).ExpectAsync(HttpStatusCode.OK);

        var seenByAdmin = await (await admin.GetAsync(member.Iri)).ExpectAsync(HttpStatusCode.OK);
        var seenBySelf = await (await client.GetAsync(member.Iri)).ExpectAsync(HttpStatusCode.OK);
        var listed = await (await admin.GetAsync($"/{account.Slug}/users")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(new JsonObject { [Calendar(account.Slug)] = "https://a.example" }.ToJsonString(), seenByAdmin["settings"]!["customSettings"]!.ToJsonString());
        Assert.Equal(2, seenBySelf["settings"]!["customSettings"]!.AsObject().Count);
        var listedMember = listed["members"]!.AsArray().Single(m => (string?)m!["id"] == member.Iri)!;
        Assert.Equal(new JsonObject { [Calendar(account.Slug)] = "https://a.example" }.ToJsonString(), listedMember["settings"]!["customSettings"]!.ToJsonString());
    }

    [Fact]
    public async Task A_contact_is_read_back_with_its_values_by_slug_and_one_without_with_none()
    {
        var (account, client, _) = await AdminAsync();
        await CreateFieldAsync(client, account.Slug, "text", "Nickname");
        var plain = await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "P", phones = new[] { new { number = "3035550147" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        var valued = await CreateContactAsync(client, account.Slug, new { nickname = "Ada" }, "3035550148");

        var read = await (await client.GetAsync((string)valued["id"]!)).ExpectAsync(HttpStatusCode.OK);
        var readPlain = await (await client.GetAsync((string)plain["id"]!)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Ada", (string?)read["customFields"]!["nickname"]);
        Assert.Equal("{}", readPlain["customFields"]!.ToJsonString());
    }
}
