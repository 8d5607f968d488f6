using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Features;

/// <summary>The number of SQL commands the message routes run, pinned (see SqlCommandCountTests).</summary>
public sealed class MessageCommandCountTests(SqlCapturingApiFactory api) : IClassFixture<SqlCapturingApiFactory>
{
    [Fact]
    public async Task Sending_and_reading_a_message_run_a_pinned_number_of_commands()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        var first = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13032234567", body = "warm up" })).ExpectAsync(HttpStatusCode.Created);
        // A send reads the sender's signature (appended while settings.appendSignature is on): one command of the six.
        (string Route, Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, int Commands)[] routes =
        [
            ("POST /{account}/messages", () => client.PostJsonAsync($"/{account.Slug}/messages", new { to = "+13032234567", body = "hi" }), HttpStatusCode.Created, 6),
            ("POST /messages", () => client.PostJsonAsync("/messages", new { from = account.PhoneNumbers[0], to = "+13032234567", body = "hi" }), HttpStatusCode.Created, 6),
            ("GET /messages/{id}", () => client.GetAsync((string)first["id"]!), HttpStatusCode.OK, 2),
        ];

        var counted = await api.CountCommandsAsync(routes.Select(r => (r.Route, r.Send, r.Status)));

        Assert.Equal(routes.Select(r => $"{r.Route}: {r.Commands}"), counted);
    }
}
