using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features.Attachments;

/// <summary>
/// With the guard's default configuration a media_url on loopback, a private or link-local (cloud
/// metadata) address, an IPv4-mapped IPv6 loopback address, or a name resolving to loopback is refused
/// with a 422 naming it, and nothing is fetched: the loopback file server, which serves the file on
/// every path asked for here, records no request.
/// </summary>
public sealed class AttachmentGuardDefaultsTests(DefaultGuardApiFactory api) : IClassFixture<DefaultGuardApiFactory>, IAsyncLifetime
{
    private LoopbackFileServer files = null!;

    public async Task InitializeAsync()
    {
        files = await LoopbackFileServer.StartAsync();
        files.Serve("/a.png", AttachmentFiles.Png, "image/png");
    }

    public async Task DisposeAsync() => await files.DisposeAsync();

    public static TheoryData<string> Refused => new()
    {
        "http://127.0.0.1:{port}/a.png",
        "http://10.0.0.1/a.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]:{port}/a.png",
        "http://localhost:{port}/a.png",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_media_url_that_is_not_public_is_422_and_nothing_is_fetched(string template)
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        var url = template.Replace("{port}", files.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages", new
        {
            to = new[] { "+13032261234" },
            body = "New phone who dis?",
            attachments = new[] { new { media_url = url, content_type = "image/png" } },
        })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains(url, string.Join(" ", problem["errors"]!["attachments[0].mediaUrl"]!.AsArray().Select(e => (string?)e)));
        Assert.Empty(files.Requests);
        Assert.Equal(0, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
        Assert.Equal(0, await api.WithDbAsync(db => db.Attachments.CountAsync(a => a.AccountId == account.Id)));
    }
}
