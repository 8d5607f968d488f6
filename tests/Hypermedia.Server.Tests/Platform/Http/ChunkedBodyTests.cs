using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Platform.Http;

/// <summary>
/// Chunked framing is Kestrel's to parse, so these run on a real listener with hand-written bytes:
/// a chunk size that overflows, or is not hexadecimal, is a 400 problem document, never a 500.
/// </summary>
public sealed class ChunkedBodyTests(KestrelApiFactory api) : IClassFixture<KestrelApiFactory>
{
    public static TheoryData<string, string> Framings => new()
    {
        { "POST", "FFFFFFFFFFFFFFFF" },
        { "PATCH", "FFFFFFFFFFFFFFFF" },
        { "PUT", "10000000000000000" },
        { "POST", "zz" },
        { "PUT", "-1" },
    };

    [Theory]
    [MemberData(nameof(Framings))]
    public async Task A_bad_chunk_size_is_400(string method, string chunkSize)
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var path = method switch
        {
            "POST" => $"/{account.Slug}/contacts",
            "PATCH" => $"/accounts/{account.Slug}",
            _ => $"/users/{admin.Slug}",
        };

        var answer = await api.SendRawAsync(
            $"{method} {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {admin.Token}\r\nContent-Type: application/json\r\n" +
            $"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunkSize}\r\n{{\"name\":\"x\"}}\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", answer);
        Assert.Contains("\"status\":400", answer);
        Assert.Contains("\"detail\":\"The request could not be read", answer);
    }
}
