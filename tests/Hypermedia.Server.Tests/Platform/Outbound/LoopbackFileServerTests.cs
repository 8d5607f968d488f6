using System.Net;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Platform.Outbound;

/// <summary>The test server does on the wire what its options say, seen by a plain HttpClient.</summary>
public sealed class LoopbackFileServerTests : IAsyncLifetime
{
    private LoopbackFileServer server = null!;
    private readonly HttpClient client = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    public async Task InitializeAsync() => server = await LoopbackFileServer.StartAsync();

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task It_listens_on_127_0_0_1_and_records_each_request()
    {
        server.Serve("/a.png", [1, 2, 3], "image/png");

        using var response = await client.GetAsync(server.Url("/a.png?x=1"));
        using var missing = await client.GetAsync(server.Url("/nothing"));

        Assert.Equal("127.0.0.1", server.BaseUrl.Host);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, response.Content.Headers.ContentLength);
        Assert.Equal([1, 2, 3], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(
            [new("GET", "/a.png?x=1", $"127.0.0.1:{server.Port}"), new("GET", "/nothing", $"127.0.0.1:{server.Port}")],
            server.Requests);
    }

    [Fact]
    public async Task A_chunked_body_has_no_content_length()
    {
        server.Serve("/c", new LoopbackResponse { Content = new byte[200_000], Framing = LoopbackFraming.Chunked });

        using var response = await client.GetAsync(server.Url("/c"), HttpCompletionOption.ResponseHeadersRead);

        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal(200_000, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task A_declared_length_is_sent_whatever_the_content()
    {
        server.Serve("/lie", new LoopbackResponse { Content = new byte[10], DeclaredLength = 1_000 });

        using var response = await client.GetAsync(server.Url("/lie"), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(1_000, response.Content.Headers.ContentLength);
        var cut = await Assert.ThrowsAsync<HttpRequestException>(() => response.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpRequestError.ResponseEnded, Assert.IsType<HttpIOException>(cut.InnerException).HttpRequestError);
    }

    [Fact]
    public async Task A_redirect_has_its_location_and_status()
    {
        server.Redirect("/old", "/new", 308);

        using var response = await client.GetAsync(server.Url("/old"));

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("/new", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_body_delay_sends_the_headers_first()
    {
        server.Serve("/slow", new LoopbackResponse { Content = [7], BodyDelay = TimeSpan.FromSeconds(30) });
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        using var response = await client.GetAsync(server.Url("/slow"), HttpCompletionOption.ResponseHeadersRead, patience.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_headers_delay_holds_the_whole_answer()
    {
        server.Serve("/slow", new LoopbackResponse { Content = [7], HeadersDelay = TimeSpan.FromSeconds(30) });
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync(server.Url("/slow"), patience.Token));

        Assert.Single(server.Requests);
    }
}
