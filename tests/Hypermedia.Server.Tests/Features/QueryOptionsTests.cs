using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

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
        { "$filter=Name eq 'x'", "$filter" },
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
        { "$filter=length(name) add 1 gt 2", "$filter" },
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
        { "$orderby=nope", "$orderby" },
        { "$orderby=name sideways", "$orderby" },
        { "$orderby=", "$orderby" },
        { "$orderby=name,name,name,name,name,name", "$orderby" },
        { "$orderby=name desc; DROP TABLE contacts", "$orderby" },
        { "$orderby=length(name) add 1", "$orderby" },
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
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));

        foreach (var collection in new[] { $"/{account.Slug}/contacts", $"/{account.Slug}/opt_outs" })
        {
            var response = await client.GetAsync(collection + "?" + Encode(query.Replace("name", collection.EndsWith("opt_outs", StringComparison.Ordinal) ? "phoneNumber" : "name", StringComparison.Ordinal)));
            var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.NotNull(problem["errors"]![option]);
            Assert.DoesNotContain("   at ", problem.ToJsonString());
            Assert.DoesNotContain("Exception", (string?)problem["detail"]);
        }
    }

    [Fact]
    public void The_hostile_corpus_has_at_least_fifty_entries() => Assert.True(HostileQueries.Count >= 50);

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
