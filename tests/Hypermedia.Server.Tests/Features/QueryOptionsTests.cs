using System.Net;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Features;

/// <summary>
/// OData options on collections run in SQL (asserted on the commands EF executed; values arrive as
/// parameters, never spliced into the text), and bad options are 400s.
/// </summary>
public sealed class QueryOptionsTests(SqlCapturingApiFactory api) : IClassFixture<SqlCapturingApiFactory>
{
    private async Task<(string Account, HttpClient Client)> AccountWithContactsAsync()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        foreach (var name in new[] { "x", "x", "Yolanda", "Zed", "Abe" })
        {
            await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name, phones = new[] { new { number = "3035550100" } } }))
                .ExpectAsync(HttpStatusCode.Created);
        }

        // One old contact that the createdAt filter must exclude.
        await api.WithDbAsync(db => db.Contacts.Where(c => c.AccountId == account.Id && c.Name == "Abe")
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "x").SetProperty(c => c.CreatedAt, new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero))));
        return (account.Slug, client);
    }

    [Fact]
    public async Task Filter_orderby_top_skip_and_count_on_contacts_run_in_sql()
    {
        var (account, client) = await AccountWithContactsAsync();
        var query = "$filter=name eq 'x' and createdAt gt 2024-01-01T00:00:00Z&$orderby=name desc&$top=1&$skip=1&$count=true";

        JsonNodeHolder result = new();
        var sql = await api.CaptureAsync(async () =>
            result.Node = await (await client.GetAsync($"/{account}/contacts?{query}")).ExpectAsync(HttpStatusCode.OK));

        Assert.Equal(2, (int?)result.Node!["totalItems"]);
        Assert.Single(result.Node["members"]!.AsArray());
        Assert.Equal("x", (string?)result.Node["members"]![0]!["name"]);
        Assert.Null((string?)result.Node["view"]!["next"]);
        Assert.Contains("$skip=0", Uri.UnescapeDataString((string)result.Node["view"]!["previous"]!));
        var page = Assert.Single(sql, s => s.Contains("LIMIT", StringComparison.Ordinal) && s.Contains("FROM contacts", StringComparison.Ordinal));
        AssertSql(page, "c.name = @");
        AssertSql(page, "c.created_at > @");
        AssertSql(page, "ORDER BY c.name DESC, c.id");
        AssertSql(page, "OFFSET");
        var count = Assert.Single(sql, s => s.Contains("count(*)", StringComparison.Ordinal) && s.Contains("FROM contacts", StringComparison.Ordinal));
        AssertSql(count, "c.name = @");
    }

    [Fact]
    public async Task String_functions_in_and_null_checks_translate_to_sql()
    {
        var (account, client) = await AccountWithContactsAsync();

        JsonNodeHolder result = new();
        var sql = await api.CaptureAsync(async () => result.Node = await (await client.GetAsync(
            $"/{account}/contacts?$filter=(startswith(name,'Yo') or name in ('Zed')) and businessName eq null and not blocked")).ExpectAsync(HttpStatusCode.OK));

        Assert.Equal(["Yolanda", "Zed"], result.Node!["members"]!.AsArray().Select(m => (string)m!["name"]!));
        var page = Assert.Single(sql, s => s.Contains("LIMIT", StringComparison.Ordinal) && s.Contains("FROM contacts", StringComparison.Ordinal));
        AssertSql(page, "c.name LIKE @");
        AssertSql(page, "c.name = ANY (@");
        AssertSql(page, "business_name IS NULL");
        AssertSql(page, "blocked_at IS NULL");
    }

    [Fact]
    public async Task Filter_orderby_top_skip_and_count_on_opt_outs_run_in_sql()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        foreach (var number in new[] { "+13035550001", "+13035550002", "+13035550003" })
        {
            await (await client.PutAsync($"/{account.Slug}/opt_outs/{number}", null)).ExpectAsync(HttpStatusCode.Created);
        }

        JsonNodeHolder result = new();
        var sql = await api.CaptureAsync(async () => result.Node = await (await client.GetAsync(
            $"/{account.Slug}/opt_outs?$filter=phoneNumber ne '%2B13035550002' and createdAt gt 2024-01-01T00:00:00Z&$orderby=phoneNumber desc&$top=1&$skip=0&$count=true"))
            .ExpectAsync(HttpStatusCode.OK));

        Assert.Equal(2, (int?)result.Node!["totalItems"]);
        Assert.Equal(["+13035550003"], result.Node["members"]!.AsArray().Select(m => (string)m!["phoneNumber"]!));
        Assert.Contains("$skip=1", Uri.UnescapeDataString((string)result.Node["view"]!["next"]!));
        var page = Assert.Single(sql, s => s.Contains("LIMIT", StringComparison.Ordinal) && s.Contains("FROM opt_outs", StringComparison.Ordinal));
        AssertSql(page, "o.phone_number <> @");
        AssertSql(page, "o.opted_out_at > @");
        AssertSql(page, "ORDER BY o.phone_number DESC");
    }

    [Fact]
    public async Task Lambda_operators_over_phones_and_tags_run_in_sql()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        await (await client.PostJsonAsync($"/{account.Slug}/contacts", new
        {
            name = "Vera",
            phones = new[] { new { number = "3035551234" }, new { number = "3035559999" } },
            data = new { tags = new[] { "vip", "west" } },
        })).ExpectAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync($"/{account.Slug}/contacts", new
        {
            name = "Walt",
            phones = new[] { new { number = "3035551234" } },
            data = new { tags = new[] { "east" } },
        })).ExpectAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "Xena", phones = new[] { new { number = "3035550000" } } }))
            .ExpectAsync(HttpStatusCode.Created);

        JsonNodeHolder result = new();
        var sql = await api.CaptureAsync(async () => result.Node = await (await client.GetAsync(
            $"/{account.Slug}/contacts?" + Encode("$filter=phones/any(p: p/phoneNumber eq '+13035551234') and data/tags/any(t: t eq 'vip')")))
            .ExpectAsync(HttpStatusCode.OK));

        Assert.Equal(["Vera"], result.Node!["members"]!.AsArray().Select(m => (string)m!["name"]!));
        var page = Assert.Single(sql, s => s.Contains("LIMIT", StringComparison.Ordinal) && s.Contains("FROM contacts", StringComparison.Ordinal));
        AssertSql(page, "EXISTS (");
        AssertSql(page, "FROM contact_phones AS c0");
        AssertSql(page, "c0.phone_number = @");
        AssertSql(page, "= ANY (c.tags)");
        Assert.DoesNotContain("+13035551234", page.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal)));

        var phones = await (await client.GetAsync($"/{account.Slug}/contacts?" + Encode("$filter=phones/any(p: p/phoneNumber eq '+13035551234')&$orderby=name")))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["Vera", "Walt"], phones["members"]!.AsArray().Select(m => (string)m!["name"]!));
        var untagged = await (await client.GetAsync($"/{account.Slug}/contacts?" + Encode("$filter=not data/tags/any()")))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["Xena"], untagged["members"]!.AsArray().Select(m => (string)m!["name"]!));
    }

    [Fact]
    public async Task In_not_arithmetic_and_date_functions_run_in_sql()
    {
        var (account, client) = await AccountWithContactsAsync();

        JsonNodeHolder result = new();
        var sql = await api.CaptureAsync(async () => result.Node = await (await client.GetAsync($"/{account}/contacts?" + Encode(
            "$filter=year(createdAt) eq 2023 or (name in ('Zed', 'Yolanda') and not (length(name) add 1 gt 4))"))).ExpectAsync(HttpStatusCode.OK));

        Assert.Equal(["Zed", "x"], result.Node!["members"]!.AsArray().Select(m => (string)m!["name"]!));
        var page = Assert.Single(sql, s => s.Contains("LIMIT", StringComparison.Ordinal) && s.Contains("FROM contacts", StringComparison.Ordinal));
        AssertSql(page, "date_part('year'");
        AssertSql(page, "= ANY (@");
        AssertSql(page, "length(c.name)");
    }

    [Fact]
    public async Task Null_business_names_count_as_not_containing_text_in_sql()
    {
        var (account, client) = await AccountWithContactsAsync();

        var page = await (await client.GetAsync($"/{account}/contacts?" + Encode("$filter=not contains(businessName, 'Corp')&$top=100")))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(5, (int?)page["totalItems"]);
    }

    [Fact]
    public async Task A_division_by_zero_in_postgresql_is_a_400_naming_the_filter()
    {
        var (account, client) = await AccountWithContactsAsync();

        var response = await client.GetAsync($"/{account}/contacts?" + Encode("$filter=length(name) div (length(name) sub length(name)) eq 1"));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("$filter cannot be evaluated on this collection: division by zero.", (string?)problem["errors"]!["$filter"]![0]);
    }

    [Theory]
    [InlineData("$filter=", "$filter", "$filter must not be empty.")]
    [InlineData("$top=101", "$top", "$top must be an integer between 0 and 100.")]
    [InlineData("$select=name", "$select", "The query option '$select' is not supported; supported options are $filter, $orderby, $top, $skip and $count.")]
    [InlineData("$expand=phones", "$expand", "The query option '$expand' is not supported; supported options are $filter, $orderby, $top, $skip and $count.")]
    [InlineData("$apply=aggregate(name with max as m)", "$apply", "The query option '$apply' is not supported; supported options are $filter, $orderby, $top, $skip and $count.")]
    [InlineData("$search=ann", "$search", "The query option '$search' is not supported; supported options are $filter, $orderby, $top, $skip and $count.")]
    public async Task Refused_options_are_named_with_the_rule(string query, string option, string message)
    {
        var (account, client) = await AccountWithContactsAsync();

        var problem = await (await client.GetAsync($"/{account}/contacts?" + Encode(query))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(message, (string?)problem["errors"]![option]![0]);
        Assert.Equal(message, (string?)problem["detail"]);
    }

    [Fact]
    public async Task Next_and_previous_links_keep_every_query_option()
    {
        var (account, client) = await AccountWithContactsAsync();

        var first = await (await client.GetAsync($"/{account}/contacts?q=x&$filter=name ne 'nobody'&$top=1")).ExpectAsync(HttpStatusCode.OK);
        var next = Uri.UnescapeDataString((string)first["view"]!["next"]!);
        var second = await (await client.GetAsync((string)first["view"]!["next"]!)).ExpectAsync(HttpStatusCode.OK);
        var previous = Uri.UnescapeDataString((string)second["view"]!["previous"]!);

        foreach (var link in new[] { next, previous })
        {
            Assert.Contains("q=x", link);
            Assert.Contains("$filter=name ne 'nobody'", link);
            Assert.Contains("$top=1", link);
            Assert.Contains("cursor=", link);
        }
    }

    /// <summary>Malformed or hostile query strings: each must be a 400 problem naming the option.</summary>
    public static TheoryData<string, string> HostileQueries => new()
    {
        { "$filter=name eq", "$filter" },
        { "$filter=name eq 'unterminated", "$filter" },
        { "$filter=eq 'x'", "$filter" },
        { "$filter=(name eq 'x'", "$filter" },
        { "$filter=name eq 'x')", "$filter" },
        { "$filter=nope eq 1", "$filter" },
        { "$filter=name gt 5", "$filter" },
        { "$filter=createdAt eq 'yesterday'", "$filter" },
        { "$filter=createdAt gt 2024-13-45T00:00:00Z", "$filter" },
        { "$filter=blocked eq 'yes'", "$filter" },
        { "$filter=name eq 'x'; DROP TABLE contacts;--", "$filter" },
        { "$filter=name eq 'x' --", "$filter" },
        { "$filter=name eq 'x' union select * from users", "$filter" },
        { "$filter=name eq 'x' or 1=1", "$filter" },
        { "$filter='; DELETE FROM api_tokens; --", "$filter" },
        { "$filter=name eq \"x\"", "$filter" },
        { "$filter=name like '%x%'", "$filter" },
        { "$filter=name/any(t: t eq 'x')", "$filter" },
        { "$filter=cast(name, Edm.Int32) eq 1", "$filter" },
        { "$filter=isof(name, Edm.String)", "$filter" },
        { "$filter=geo.distance(name, name) lt 1", "$filter" },
        { "$filter=matchesPattern(name,'.*')", "$filter" },
        { "$filter=substringof('x', name)", "$filter" },
        { "$filter=contains(name)", "$filter" },
        { "$filter=contains(name, 5)", "$filter" },
        { "$filter=" + new string('(', 500) + "name eq 'x'" + new string(')', 500), "$filter" },
        { "$filter=" + string.Join(" or ", Enumerable.Repeat("name eq 'x'", 2000)), "$filter" },
        { "$filter=" + string.Join(" and ", Enumerable.Repeat("not", 300)) + " blocked", "$filter" },
        { "$filter=name eq '\u0000'x", "$filter" },
        { "$filter=\u202Ename eq 'x'", "$filter" },
        { "$filter=name eq 'x' and", "$filter" },
        { "$filter=$it eq 'x'", "$filter" },
        { "$filter=@p eq 'x'", "$filter" },
        { "$filter=name eq @p&@p='x'", "$filter" },
        { "$filter=", "$filter" },
        { "$filter=null", "$filter" },
        { "$filter=not null", "$filter" },
        { "$filter=1 div 0 eq 1", "$filter" },
        { "$filter=contains(null, 'x')", "$filter" },
        { "$filter=length(name) div (length(name) sub length(name)) eq 1", "$filter" },
        { "$filter=fractionalseconds(createdAt) gt 0", "$filter" },
        { "$filter=entity eq null", "$filter" },
        { "$filter=phones/any(p: p/phones/any(q: true))", "$filter" },
        { "$filter=data/tags/any(t: data/tags/any(u: u eq t))", "$filter" },
        { "$filter=name eq 'x'&$FILTER=name eq 'y'", "$filter" },
        { "$orderby=1", "$orderby" },
        { "$orderby=null", "$orderby" },
        { "$orderby=entity", "$orderby" },
        { "$compute=length(name) as n", "$compute" },
        { "$skiptoken=abc", "$skiptoken" },
        { "$orderby=nope", "$orderby" },
        { "$orderby=name sideways", "$orderby" },
        { "$orderby=", "$orderby" },
        { "$orderby=name,name,name,name,name,name", "$orderby" },
        { "$orderby=name desc; DROP TABLE contacts", "$orderby" },
        { "$top=101", "$top" },
        { "$top=-1", "$top" },
        { "$top=abc", "$top" },
        { "$top=99999999999999999999", "$top" },
        { "$top=1.5", "$top" },
        { "$top=", "$top" },
        { "$skip=-5", "$skip" },
        { "$skip=ten", "$skip" },
        { "$skip=99999999999999999999", "$skip" },
        { "$count=maybe", "$count" },
        { "$count=1", "$count" },
        { "$expand=phones", "$expand" },
        { "$select=name", "$select" },
        { "$search=x", "$search" },
        { "$apply=groupby((name))", "$apply" },
        { "$format=xml", "$format" },
        { "$foo=bar", "$foo" },
        { "$top=1&$top=2", "$top" },
        { "cursor=AAAA", "cursor" },
        { "cursor=" + "W10", "cursor" },
    };

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Hostile_query_strings_are_400_naming_the_option(string query, string option)
    {
        var (client, collections) = await EveryCollectionAsync();

        foreach (var collection in collections)
        {
            var response = await client.GetAsync(collection + "?" + Encode(query));
            var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]?[option] is not null, $"{collection}?{query}: {problem.ToJsonString()}");
            Assert.DoesNotContain("   at ", problem.ToJsonString());
            Assert.DoesNotContain("Exception", (string?)problem["detail"]);
        }
    }

    /// <summary>Every collection the API serves (each route that pages), seen by an admin (and staff operator) with one of everything.</summary>
    private async Task<(HttpClient Client, string[] Collections)> EveryCollectionAsync()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, StaffLevel.Operator, account);
        var client = api.ClientFor(admin);
        var contact = await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "Ann", phones = new[] { new { number = "3035550100" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        var contactIri = (string)contact["id"]!;
        await (await client.PutAsync($"/{account.Slug}/opt_outs/+13035550199", null)).ExpectAsync(HttpStatusCode.Created);
        var user = $"/users/{admin.Slug}";
        var conversation = "/conversations/" + await api.InboundAsync(account.Slug, "+13035550100");
        var message = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13035550100", body = "hi" })).ExpectAsync(HttpStatusCode.Created);
        var bulkSend = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = new[] { "+13035550101", "+13035550102" }, body = "hi" }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var savedReply = await (await client.PostJsonAsync($"{user}/saved_replies", new { title = "Hi", content = "hi" })).ExpectAsync(HttpStatusCode.Created);
        return (client,
        [
            (string)message["attachments"]!,
            $"/{account.Slug}/conversations", $"{conversation}/assignments", $"{conversation}/associated_contacts", $"{contactIri}/conversations",
            $"/{account.Slug}/contacts", $"{contactIri}/phones", $"/{account.Slug}/contact_phones", $"{contactIri}/notes",
            $"/{account.Slug}/opt_outs", $"/{account.Slug}/opt_outs/+13035550199/history",
            $"/{account.Slug}/contact_filters", $"/{account.Slug}/contact_filters/all/contacts",
            "/users", $"/{account.Slug}/users", $"{user}/memberships", $"{user}/api_tokens", "/accounts",
            $"/{account.Slug}/bulk_sends", (string)bulkSend["recipients"]!, "/staff", $"/{account.Slug}/attachments",
            $"/{account.Slug}/contact_schema/fields", $"/{account.Slug}/user_schema/fields",
            $"{user}/saved_replies", (string)savedReply["attachments"]!["id"]!,
            $"/{account.Slug}/whats_app/templates", "/whats_app/templates",
        ]);
    }

    [Fact]
    public async Task The_hostile_sweep_covers_every_collection_route()
    {
        var (client, collections) = await EveryCollectionAsync();
        var collectionRoutes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Count(e => e.Metadata.GetMetadata<HydraOperationMetadata>() is not null && ApiDocumentationBuilder.IsCollection(ApiDocumentationBuilder.ReturnType(e.Metadata))
                && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true);

        foreach (var collection in collections)
        {
            var page = await (await client.GetAsync(collection + "?$top=1")).ExpectAsync(HttpStatusCode.OK);
            Assert.NotNull(page["totalItems"]);
        }

        Assert.Equal(collectionRoutes, collections.Length);
    }

    [Fact]
    public void The_hostile_corpus_has_at_least_sixty_three_entries() => Assert.True(HostileQueries.Count >= 63, $"{HostileQueries.Count} entries");

    /// <summary>Encodes each value the way a client library would, keeping the option names readable.</summary>
    private static string Encode(string query) => string.Join('&', query.Split('&').Select(pair =>
    {
        var equals = pair.IndexOf('=');
        return equals < 0 ? pair : pair[..(equals + 1)] + Uri.EscapeDataString(pair[(equals + 1)..]);
    }));

    private static void AssertSql(string sql, string fragment) =>
        Assert.True(sql.Contains(fragment, StringComparison.Ordinal), $"Expected SQL to contain {fragment}:\n{sql}");

    private sealed class JsonNodeHolder
    {
        public System.Text.Json.Nodes.JsonNode? Node { get; set; }
    }
}
