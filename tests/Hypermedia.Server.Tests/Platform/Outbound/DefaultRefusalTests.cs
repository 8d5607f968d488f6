using Hypermedia.Server.Platform.Outbound;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Platform.Outbound;

/// <summary>
/// With the default options nothing but public addresses is fetched: each URL below points at a live
/// server on loopback (its port, where the address could reach it), and the server hears nothing.
/// </summary>
public sealed class DefaultRefusalTests : IAsyncLifetime
{
    private LoopbackFileServer server = null!;
    private readonly OutboundFetcher fetcher = Fetchers.Create(new OutboundOptions());

    public async Task InitializeAsync()
    {
        server = await LoopbackFileServer.StartAsync();
        server.Serve("/secret", [1, 2, 3]);
    }

    public async Task DisposeAsync()
    {
        fetcher.Dispose();
        await server.DisposeAsync();
    }

    public static TheoryData<string, string> Literals => new()
    {
        { "http://127.0.0.1:{port}/secret", "The URL's host 127.0.0.1 is a loopback address (127.0.0.0/8): only public internet addresses are fetched." },
        { "http://127.0.0.2:{port}/secret", "The URL's host 127.0.0.2 is a loopback address (127.0.0.0/8): only public internet addresses are fetched." },
        // Other spellings of 127.0.0.1: Uri reads them as the dotted address.
        { "http://2130706433:{port}/secret", "The URL's host 127.0.0.1 is a loopback address (127.0.0.0/8): only public internet addresses are fetched." },
        { "http://0x7f.1:{port}/secret", "The URL's host 127.0.0.1 is a loopback address (127.0.0.0/8): only public internet addresses are fetched." },
        { "http://[::ffff:127.0.0.1]:{port}/secret", "The URL's host [::ffff:127.0.0.1] is the IPv4-mapped form of 127.0.0.1, a loopback address (127.0.0.0/8): only public internet addresses are fetched." },
        { "http://[::1]:{port}/secret", "The URL's host [::1] is the loopback address: only public internet addresses are fetched." },
        { "http://0.0.0.0:{port}/secret", "The URL's host 0.0.0.0 is an unspecified (\"this network\") address (0.0.0.0/8): only public internet addresses are fetched." },
        { "http://10.0.0.1:{port}/secret", "The URL's host 10.0.0.1 is a private address (10.0.0.0/8): only public internet addresses are fetched." },
        { "http://169.254.169.254/latest/meta-data/", "The URL's host 169.254.169.254 is the cloud instance metadata address (AWS, Azure, Google Cloud, Oracle Cloud), in the link-local range 169.254.0.0/16: only public internet addresses are fetched." },
        { "http://[fd00:ec2::254]/latest/meta-data/", "The URL's host [fd00:ec2::254] is the AWS instance metadata address, in the unique local range fc00::/7: only public internet addresses are fetched." },
        { "http://100.100.100.200/latest/meta-data/", "The URL's host 100.100.100.200 is Alibaba Cloud's instance metadata address, in the shared (CGNAT) range 100.64.0.0/10: only public internet addresses are fetched." },
        { "https://192.168.1.1/", "The URL's host 192.168.1.1 is a private address (192.168.0.0/16): only public internet addresses are fetched." },
    };

    [Theory]
    [MemberData(nameof(Literals))]
    public async Task A_url_whose_host_is_not_a_public_address_is_refused_and_nothing_is_fetched(string url, string reason)
    {
        var failure = await Fetchers.FailureAsync(() => FetchAsync(url));

        Assert.Equal(OutboundFailure.Refused, failure.Failure);
        Assert.Equal(reason, failure.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Localhost_is_refused_by_what_it_resolves_to_and_nothing_is_fetched()
    {
        var failure = await Fetchers.FailureAsync(() => FetchAsync("http://localhost:{port}/secret"));

        Assert.Equal(OutboundFailure.Refused, failure.Failure);
        // 127.0.0.1 or ::1, whichever the resolver lists first.
        Assert.Matches(
            @"^The URL's host localhost resolves to (127\.0\.0\.1, a loopback address \(127\.0\.0\.0/8\)|::1, the loopback address): only public internet addresses are fetched\.$",
            failure.Message);
        Assert.Empty(server.Requests);
    }

    public static TheoryData<string, string> BadUrls => new()
    {
        { "/secret", "The URL must be absolute, starting with http:// or https://." },
        { "secret.png", "The URL must be absolute, starting with http:// or https://." },
        { "ftp://example.com/a.png", "The URL is not an http or https URL." },
        { "file:///etc/passwd", "The URL is not an http or https URL." },
        { "gopher://127.0.0.1:{port}/secret", "The URL is not an http or https URL." },
        { "javascript:alert(1)", "The URL is not an http or https URL." },
        { "data:image/png;base64,iVBORw0KGgo=", "The URL is not an http or https URL." },
        { "mailto:someone@example.com", "The URL is not an http or https URL." },
        { "http://user:password@example.com/a.png", "The URL carries a user name or password, which is not accepted." },
        { "https://user@example.com/a.png", "The URL carries a user name or password, which is not accepted." },
    };

    [Theory]
    [MemberData(nameof(BadUrls))]
    public async Task A_url_that_is_not_absolute_http_is_a_bad_url(string url, string reason)
    {
        var failure = await Fetchers.FailureAsync(() => FetchAsync(url));

        Assert.Equal(OutboundFailure.BadUrl, failure.Failure);
        Assert.Equal(reason, failure.Message);
        Assert.Empty(server.Requests);
    }

    private Task<FetchedFile> FetchAsync(string url) =>
        fetcher.FetchAsync(new Uri(url.Replace("{port}", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)), UriKind.RelativeOrAbsolute), Fetchers.MaxBytes, CancellationToken.None);
}
