using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Platform.Performance;

/// <summary>
/// How many SQL commands each main route runs per request, counted from EF Core's command log (not timed):
/// a change that adds a round trip fails here and has to say why. Lower a pin when a route gets cheaper.
/// </summary>
public sealed class SqlCommandCountTests(SqlCapturingApiFactory api) : IClassFixture<SqlCapturingApiFactory>
{
    private sealed record Fixture(HttpClient Client, string Account, string Contact, string User, string NextPage);

    private async Task<Fixture> ArrangeAsync()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.Admin, account);
        var client = api.ClientFor(user);
        string contact = "";
        for (var i = 0; i < 30; i++)
        {
            var created = await (await client.PostJsonAsync($"/{account.Slug}/contacts",
                new { name = $"Contact {i:D2}", phones = new[] { new { number = $"30355501{i:D2}" } } })).ExpectAsync(HttpStatusCode.Created);
            contact = (string)created["id"]!;
        }

        await (await client.PutAsync($"/{account.Slug}/opt_outs/+13035550199", null)).ExpectAsync(HttpStatusCode.Created);
        var page = await (await client.GetAsync($"/{account.Slug}/contacts")).ExpectAsync(HttpStatusCode.OK);
        return new Fixture(client, account.Slug, contact, user.Iri, (string)page["view"]!["next"]!);
    }

    [Fact]
    public async Task Each_main_route_runs_a_pinned_number_of_commands()
    {
        var f = await ArrangeAsync();
        (string Route, Func<Task<HttpResponseMessage>> Send, int Commands)[] routes =
        [
            ("GET /", () => f.Client.GetAsync("/"), 1),
            ("GET /contacts/{id}", () => f.Client.GetAsync(f.Contact), 2),
            ("GET /{account}/contacts", () => f.Client.GetAsync($"/{f.Account}/contacts"), 4),
            ("GET /{account}/contacts?cursor=…", () => f.Client.GetAsync(f.NextPage), 4),
            ("GET /{account}/contacts?$filter=…", () => f.Client.GetAsync($"/{f.Account}/contacts?$filter=startswith(name,'Contact 1')"), 4),
            ("GET /accounts/{account}", () => f.Client.GetAsync($"/accounts/{f.Account}"), 2),
            ("GET /{account}/opt_outs", () => f.Client.GetAsync($"/{f.Account}/opt_outs"), 4),
            ("GET /users/{id}", () => f.Client.GetAsync(f.User), 3),
        ];

        var counted = await api.CountCommandsAsync(routes.Select(r => (r.Route, r.Send, HttpStatusCode.OK)));

        Assert.Equal(routes.Select(r => $"{r.Route}: {r.Commands}"), counted);
    }

    [Fact]
    public async Task Cursor_values_travel_as_parameters_not_sql_text()
    {
        var f = await ArrangeAsync();

        var sql = await api.CaptureAsync(async () => Assert.Equal(HttpStatusCode.OK, (await f.Client.GetAsync(f.NextPage)).StatusCode));

        var page = Assert.Single(sql, s => s.Contains("LIMIT", StringComparison.Ordinal) && s.Contains("FROM contacts", StringComparison.Ordinal));
        var statement = string.Join("\n", page.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal)));
        Assert.Contains("c.name >= @", statement, StringComparison.Ordinal);
        Assert.DoesNotContain("Contact 24", statement, StringComparison.Ordinal);
        Assert.Matches(@"c\.id > @\w+", statement);
    }
}
