using System.Diagnostics;
using System.Net.Sockets;
using Hypermedia.Server.Platform.Outbound;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Hypermedia.Server.Tests.Platform.Outbound;

/// <summary>Fetches from a real server on loopback, which these fetchers allow (127.0.0.1).</summary>
public sealed class OutboundFetcherTests : IAsyncLifetime
{
    private LoopbackFileServer server = null!;
    private readonly OutboundFetcher fetcher = Fetchers.ForLoopback();

    public async Task InitializeAsync() => server = await LoopbackFileServer.StartAsync();

    public async Task DisposeAsync()
    {
        fetcher.Dispose();
        await server.DisposeAsync();
    }

    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private Task<FetchedFile> FetchAsync(string pathAndQuery) => fetcher.FetchAsync(server.Url(pathAndQuery), Fetchers.MaxBytes, CancellationToken.None);

    [Fact]
    public async Task A_file_of_the_largest_accepted_size_is_fetched_exactly()
    {
        var content = Bytes(537_599);
        server.Serve("/photos/cat.png", content, "image/png");

        var file = await FetchAsync("/photos/cat.png?size=large");

        Assert.Equal(content, file.Content);
        Assert.Equal("image/png", file.ContentType);
        Assert.Equal(server.Url("/photos/cat.png?size=large"), file.FinalUrl);
        Assert.Equal("cat.png", file.FileName);
        var request = Assert.Single(server.Requests);
        Assert.Equal(new LoopbackRequest("GET", "/photos/cat.png?size=large", $"127.0.0.1:{server.Port}"), request);
    }

    [Fact]
    public async Task A_chunked_file_of_the_largest_accepted_size_is_fetched_exactly()
    {
        var content = Bytes(537_599);
        server.Serve("/cat.png", new LoopbackResponse { Content = content, ContentType = "image/png", Framing = LoopbackFraming.Chunked });

        var file = await FetchAsync("/cat.png");

        Assert.Equal(content, file.Content);
    }

    [Fact]
    public async Task An_empty_file_is_fetched()
    {
        server.Serve("/empty.txt", [], "text/plain; charset=utf-8");

        var file = await FetchAsync("/empty.txt");

        Assert.Empty(file.Content);
        Assert.Equal("text/plain; charset=utf-8", file.ContentType);
    }

    [Fact]
    public async Task A_file_one_byte_too_large_is_refused_by_its_content_length()
    {
        server.Serve("/big.png", Bytes(537_600), "image/png");

        var failure = await Fetchers.FailureAsync(() => FetchAsync("/big.png"));

        Assert.Equal(OutboundFailure.TooLarge, failure.Failure);
        Assert.Equal("The file at the URL is 537,600 bytes; at most 537,599 are accepted.", failure.Message);
    }

    [Fact]
    public async Task A_chunked_file_one_byte_too_large_is_refused_after_one_byte_more_than_the_limit()
    {
        server.Serve("/big.png", new LoopbackResponse { Content = Bytes(537_600), Framing = LoopbackFraming.Chunked });

        var failure = await Fetchers.FailureAsync(() => FetchAsync("/big.png"));

        Assert.Equal(OutboundFailure.TooLarge, failure.Failure);
        Assert.Equal("The file at the URL is more than 537,599 bytes; at most 537,599 are accepted.", failure.Message);
    }

    [Fact]
    public async Task A_large_content_length_is_refused_without_waiting_for_the_body()
    {
        // The body would come after the 1-second timeout: only the headers can have decided.
        using var quick = Fetchers.ForLoopback(timeoutSeconds: 1);
        server.Serve("/huge.bin", new LoopbackResponse { Content = Bytes(10), DeclaredLength = 2_000_000_000, BodyDelay = TimeSpan.FromSeconds(30) });

        var failure = await Fetchers.FailureAsync(() => quick.FetchAsync(server.Url("/huge.bin"), Fetchers.MaxBytes, CancellationToken.None));

        Assert.Equal(OutboundFailure.TooLarge, failure.Failure);
        Assert.Equal("The file at the URL is 2,000,000,000 bytes; at most 537,599 are accepted.", failure.Message);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_unreachable()
    {
        server.Serve("/short.bin", new LoopbackResponse { Content = Bytes(1000), DeclaredLength = 5000 });

        var failure = await Fetchers.FailureAsync(() => FetchAsync("/short.bin"));

        Assert.Equal(OutboundFailure.Unreachable, failure.Failure);
        Assert.Equal("The URL's host 127.0.0.1 closed the connection before the whole file arrived.", failure.Message);
    }

    [Fact]
    public async Task Three_redirects_are_followed_each_resolved_against_the_url_before()
    {
        var content = Bytes(100);
        server.Redirect("/a", $"http://127.0.0.1:{server.Port}/b", 301);
        server.Redirect("/b", "/dir/c", 307);
        server.Redirect("/dir/c", "d.png", 308);
        server.Serve("/dir/d.png", content, "image/png");

        var file = await FetchAsync("/a");

        Assert.Equal(content, file.Content);
        Assert.Equal(server.Url("/dir/d.png"), file.FinalUrl);
        Assert.Equal("d.png", file.FileName);
        Assert.Equal(["/a", "/b", "/dir/c", "/dir/d.png"], server.Requests.Select(r => r.Path));
        Assert.All(server.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task A_303_is_followed_with_a_get()
    {
        server.Redirect("/see-other", "/file", 303);
        server.Serve("/file", Bytes(10));

        await FetchAsync("/see-other");

        Assert.Equal([("GET", "/see-other"), ("GET", "/file")], server.Requests.Select(r => (r.Method, r.Path)));
    }

    [Fact]
    public async Task A_fourth_redirect_is_refused_and_not_followed()
    {
        server.Redirect("/1", "/2");
        server.Redirect("/2", "/3");
        server.Redirect("/3", "/4");
        server.Redirect("/4", "/file");
        server.Serve("/file", Bytes(10));

        var failure = await Fetchers.FailureAsync(() => FetchAsync("/1"));

        Assert.Equal(OutboundFailure.Refused, failure.Failure);
        Assert.Equal("The URL redirected more than 3 times.", failure.Message);
        Assert.Equal(["/1", "/2", "/3", "/4"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_redirect_to_a_private_address_is_refused_before_connecting()
    {
        server.Redirect("/start", "http://10.0.0.1/x?token=secret");

        var failure = await Fetchers.FailureAsync(() => FetchAsync("/start"));

        Assert.Equal(OutboundFailure.Refused, failure.Failure);
        Assert.Equal(
            "The URL redirected to http://10.0.0.1/x, and that URL's host 10.0.0.1 is a private address (10.0.0.0/8): only public internet addresses are fetched.",
            failure.Message);
        Assert.Equal(["/start"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_redirect_to_another_scheme_is_a_bad_url()
    {
        server.Redirect("/start", "file:///etc/passwd");

        var failure = await Fetchers.FailureAsync(() => FetchAsync("/start"));

        Assert.Equal(OutboundFailure.BadUrl, failure.Failure);
        Assert.Equal("The URL redirected to a file: URL, which is not an http or https URL.", failure.Message);
    }

    [Fact]
    public async Task A_redirect_carrying_credentials_is_a_bad_url_and_the_reason_does_not_repeat_them()
    {
        server.Redirect("/start", $"http://admin:hunter2@127.0.0.1:{server.Port}/file");

        var failure = await Fetchers.FailureAsync(() => FetchAsync("/start"));

        Assert.Equal(OutboundFailure.BadUrl, failure.Failure);
        Assert.Equal($"The URL redirected to http://127.0.0.1:{server.Port}/file, which carries a user name or password, which is not accepted.", failure.Message);
        Assert.Equal(["/start"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_redirect_without_a_location_is_a_bad_status()
    {
        server.Serve("/start", new LoopbackResponse { Status = 302, ContentType = null });

        var failure = await Fetchers.FailureAsync(() => FetchAsync("/start"));

        Assert.Equal(OutboundFailure.BadStatus, failure.Failure);
        Assert.Equal("The URL answered 302 Found without a Location.", failure.Message);
    }

    [Fact]
    public async Task A_404_is_a_bad_status()
    {
        var failure = await Fetchers.FailureAsync(() => FetchAsync("/missing.png"));

        Assert.Equal(OutboundFailure.BadStatus, failure.Failure);
        Assert.Equal("The URL answered 404 Not Found.", failure.Message);
    }

    [Fact]
    public async Task A_redirect_to_a_500_is_a_bad_status_naming_where_it_went()
    {
        server.Redirect("/start", "/broken?x=1");
        server.Serve("/broken", new LoopbackResponse { Status = 500 });

        var failure = await Fetchers.FailureAsync(() => FetchAsync("/start"));

        Assert.Equal(OutboundFailure.BadStatus, failure.Failure);
        Assert.Equal($"The URL redirected to http://127.0.0.1:{server.Port}/broken, which answered 500 Internal Server Error.", failure.Message);
    }

    [Fact]
    public async Task Headers_that_come_too_late_are_a_timeout()
    {
        using var quick = Fetchers.ForLoopback(timeoutSeconds: 1);
        server.Serve("/slow", new LoopbackResponse { Content = Bytes(10), HeadersDelay = TimeSpan.FromSeconds(30) });
        var clock = Stopwatch.StartNew();

        var failure = await Fetchers.FailureAsync(() => quick.FetchAsync(server.Url("/slow"), Fetchers.MaxBytes, CancellationToken.None));

        Assert.Equal(OutboundFailure.Timeout, failure.Failure);
        Assert.Equal("The URL was not fetched within 1 second.", failure.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_body_that_comes_too_late_is_a_timeout()
    {
        using var quick = Fetchers.ForLoopback(timeoutSeconds: 1);
        server.Serve("/slow", new LoopbackResponse { Content = Bytes(10), BodyDelay = TimeSpan.FromSeconds(30) });
        var clock = Stopwatch.StartNew();

        var failure = await Fetchers.FailureAsync(() => quick.FetchAsync(server.Url("/slow"), Fetchers.MaxBytes, CancellationToken.None));

        Assert.Equal(OutboundFailure.Timeout, failure.Failure);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_timeout_bounds_the_whole_redirect_chain()
    {
        using var quick = Fetchers.ForLoopback(timeoutSeconds: 1);
        server.Redirect("/start", "/slow");
        server.Serve("/slow", new LoopbackResponse { Content = Bytes(10), HeadersDelay = TimeSpan.FromSeconds(30) });

        var failure = await Fetchers.FailureAsync(() => quick.FetchAsync(server.Url("/start"), Fetchers.MaxBytes, CancellationToken.None));

        Assert.Equal(OutboundFailure.Timeout, failure.Failure);
        Assert.Equal(["/start", "/slow"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_not_a_timeout()
    {
        server.Serve("/slow", new LoopbackResponse { Content = Bytes(10), HeadersDelay = TimeSpan.FromSeconds(30) });
        using var cancel = new CancellationTokenSource();
        var fetch = fetcher.FetchAsync(server.Url("/slow"), Fetchers.MaxBytes, cancel.Token);
        await server.WaitForRequestsAsync(1, TimeSpan.FromSeconds(10));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
    }

    [Fact]
    public async Task A_closed_port_is_unreachable()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var failure = await Fetchers.FailureAsync(() => fetcher.FetchAsync(new Uri($"http://127.0.0.1:{closedPort}/a.png"), Fetchers.MaxBytes, CancellationToken.None));

        Assert.Equal(OutboundFailure.Unreachable, failure.Failure);
        Assert.Equal("The URL's host 127.0.0.1 refused the connection.", failure.Message);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_unreachable()
    {
        // .invalid never resolves (RFC 2606).
        var failure = await Fetchers.FailureAsync(() => fetcher.FetchAsync(new Uri("https://no-such-host.invalid/a.png"), Fetchers.MaxBytes, CancellationToken.None));

        Assert.Equal(OutboundFailure.Unreachable, failure.Failure);
        Assert.Equal("The URL's host no-such-host.invalid was not found in DNS.", failure.Message);
    }

    [Fact]
    public async Task The_file_name_comes_from_content_disposition_without_any_directory()
    {
        server.Serve("/download", new LoopbackResponse
        {
            Content = Bytes(10),
            Headers = new Dictionary<string, string> { ["Content-Disposition"] = "attachment; filename=\"../../etc/report.pdf\"" },
        });

        var file = await FetchAsync("/download");

        Assert.Equal("report.pdf", file.FileName);
    }

    [Fact]
    public async Task The_encoded_file_name_of_content_disposition_wins()
    {
        server.Serve("/download", new LoopbackResponse
        {
            Content = Bytes(10),
            Headers = new Dictionary<string, string> { ["Content-Disposition"] = "attachment; filename=\"resume.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf" },
        });

        var file = await FetchAsync("/download");

        Assert.Equal("résumé.pdf", file.FileName);
    }

    [Fact]
    public async Task Without_content_disposition_the_file_name_is_the_last_path_segment_unescaped()
    {
        server.Serve("/photos/summer cat.png", Bytes(10));

        var file = await FetchAsync("/photos/summer%20cat.png");

        Assert.Equal("summer cat.png", file.FileName);
    }

    [Fact]
    public async Task A_url_ending_in_a_slash_has_no_file_name()
    {
        server.Serve("/photos/", Bytes(10));

        var file = await FetchAsync("/photos/");

        Assert.Null(file.FileName);
    }

    [Fact]
    public async Task A_refusal_is_logged_at_information_with_the_host_and_reason_but_no_query()
    {
        var log = new RecordingLogger();
        using var logged = Fetchers.ForLoopback(log: log);
        server.Redirect("/start", "http://10.0.0.1/x?token=secret");

        await Fetchers.FailureAsync(() => logged.FetchAsync(server.Url("/start?key=hidden"), Fetchers.MaxBytes, CancellationToken.None));

        var (level, message) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Information, level);
        Assert.Equal(
            "Outbound fetch from 10.0.0.1 failed (Refused): The URL redirected to http://10.0.0.1/x, and that URL's host 10.0.0.1 is a private address (10.0.0.0/8): only public internet addresses are fetched.",
            message);
    }

    [Fact]
    public async Task An_allowed_cidr_range_is_fetched()
    {
        using var ranged = Fetchers.Create(new OutboundOptions { AllowedAddresses = ["127.0.0.0/8"] });
        server.Serve("/a.png", Bytes(10));

        var file = await ranged.FetchAsync(server.Url("/a.png"), Fetchers.MaxBytes, CancellationToken.None);

        Assert.Equal(Bytes(10), file.Content);
    }
}
