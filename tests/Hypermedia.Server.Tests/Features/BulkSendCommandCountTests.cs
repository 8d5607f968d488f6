using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Features;

/// <summary>
/// The number of SQL commands the bulk-send routes run, pinned (see SqlCommandCountTests): accepting a send
/// costs the same for 2 recipients as for 1,000 (one INSERT for all of them), and reading one costs the same
/// whatever its size. Hangfire's own statements (enqueueing the fan-out jobs) go through its storage, not
/// EF Core, and are not counted.
/// </summary>
public sealed class BulkSendCommandCountTests(SqlCapturingApiFactory api) : IClassFixture<SqlCapturingApiFactory>
{
    private static string[] Numbers(int count, int offset) =>
        [.. Enumerable.Range(offset, count).Select(i => "+1720556" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Accepting_and_reading_a_bulk_send_run_a_pinned_number_of_commands_whatever_its_size()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        var small = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(2, 0), body = "warm up" })).ExpectAsync(HttpStatusCode.Accepted);
        var large = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(1000, 0), body = "warm up" })).ExpectAsync(HttpStatusCode.Accepted);
        // A send reads the sender's signature (appended while settings.appendSignature is on): one command of the six.
        (string Route, Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, int Commands)[] routes =
        [
            ("POST /{account}/messages, 2 recipients", () => client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(2, 2000), body = "hi" }), HttpStatusCode.Accepted, 6),
            ("POST /{account}/messages, 1,000 recipients", () => client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(1000, 3000), body = "hi" }), HttpStatusCode.Accepted, 6),
            ("GET /bulk_sends/{id}, 2 recipients", () => client.GetAsync((string)small["id"]!), HttpStatusCode.OK, 2),
            ("GET /bulk_sends/{id}, 1,000 recipients", () => client.GetAsync((string)large["id"]!), HttpStatusCode.OK, 2),
            ("GET /bulk_sends/{id}/recipients, 1,000 recipients", () => client.GetAsync((string)large["recipients"]!), HttpStatusCode.OK, 3),
            ("GET /{account}/bulk_sends", () => client.GetAsync($"/{account.Slug}/bulk_sends"), HttpStatusCode.OK, 4),
        ];

        var counted = await api.CountCommandsAsync(routes.Select(r => (r.Route, r.Send, r.Status)));

        Assert.Equal(routes.Select(r => $"{r.Route}: {r.Commands}"), counted);
    }
}
