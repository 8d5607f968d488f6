using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Features;

/// <summary>
/// SQL commands per conversation route, counted from EF Core's command log (not timed), like
/// SqlCommandCountTests; and the timeline's page statement, which must be a pure keyset range.
/// </summary>
public sealed class ConversationCommandCountTests(SqlCapturingApiFactory api) : IClassFixture<SqlCapturingApiFactory>
{
    private sealed record Fixture(HttpClient Client, string Account, string Conversation, string NextListPage, string NextTimelinePage);

    private async Task<Fixture> ArrangeAsync()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.Admin, account);
        var client = api.ClientFor(user);
        var conversation = "";
        for (var i = 0; i < 3; i++)
        {
            conversation = "/conversations/" + await api.InboundAsync(account.Slug, $"+130355501{i:D2}");
            await api.InboundAsync(account.Slug, $"+130355501{i:D2}", "again");
        }

        await (await client.PutAsync(conversation + "/star", null)).ExpectAsync(HttpStatusCode.OK);
        var list = await (await client.GetAsync($"/{account.Slug}/conversations?$top=2")).ExpectAsync(HttpStatusCode.OK);
        var timeline = await (await client.GetAsync(conversation + "/timeline?$top=1")).ExpectAsync(HttpStatusCode.OK);
        return new Fixture(client, account.Slug, conversation, (string)list["view"]!["next"]!, (string)timeline["view"]!["next"]!);
    }

    [Fact]
    public async Task Each_conversation_route_runs_a_pinned_number_of_commands()
    {
        var f = await ArrangeAsync();
        (string Route, Func<Task<HttpResponseMessage>> Send, int Commands)[] routes =
        [
            ("GET /conversations/{id}", () => f.Client.GetAsync(f.Conversation), 2),
            ("GET /{account}/conversations", () => f.Client.GetAsync($"/{f.Account}/conversations"), 4),
            ("GET /{account}/conversations?cursor=…", () => f.Client.GetAsync(f.NextListPage), 4),
            ("GET /{account}/conversations/{phone}", () => f.Client.GetAsync($"/{f.Account}/conversations/%2B13035550100"), 3),
            ("GET /conversations/{id}/timeline", () => f.Client.GetAsync(f.Conversation + "/timeline"), 3),
            ("GET /conversations/{id}/timeline?cursor=…", () => f.Client.GetAsync(f.NextTimelinePage), 3),
        ];

        var counted = await api.CountCommandsAsync(routes.Select(r => (r.Route, r.Send, HttpStatusCode.OK)));

        Assert.Equal(routes.Select(r => $"{r.Route}: {r.Commands}"), counted);
    }

    /// <summary>What makes page 1,000 of a long conversation cost what page 1 costs: a range on the index, no OFFSET, no COUNT.</summary>
    [Fact]
    public async Task A_timeline_page_is_a_keyset_range_without_offset_or_count()
    {
        var f = await ArrangeAsync();

        var sql = await api.CaptureAsync(async () => Assert.Equal(HttpStatusCode.OK, (await f.Client.GetAsync(f.NextTimelinePage)).StatusCode));

        var page = Assert.Single(sql, s => s.Contains("FROM messages", StringComparison.Ordinal));
        var statement = string.Join("\n", page.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal)));
        Assert.DoesNotContain("OFFSET", statement, StringComparison.Ordinal);
        Assert.DoesNotContain("COUNT(", statement, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("m.timeline_position <= @", statement, StringComparison.Ordinal);
        Assert.Matches(@"m\.id < @\w+", statement);
        Assert.Contains("ORDER BY m.timeline_position DESC, m.id DESC", statement, StringComparison.Ordinal);
        Assert.All(sql, s => Assert.DoesNotContain("COUNT(", s, StringComparison.OrdinalIgnoreCase));
    }
}
