using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>One request a <see cref="LoopbackFileServer"/> received, recorded as it arrived (before any delay).</summary>
/// <param name="Method">"GET", "HEAD"…</param>
/// <param name="Path">The path and query string, as sent ("/files/a.png?x=1").</param>
/// <param name="Host">The Host header, or null without one.</param>
public sealed record LoopbackRequest(string Method, string Path, string? Host);

/// <summary>How a <see cref="LoopbackResponse"/>'s body is framed on the wire.</summary>
public enum LoopbackFraming
{
    /// <summary>A Content-Length header (<see cref="LoopbackResponse.DeclaredLength"/>, else the content's length).</summary>
    ContentLength,

    /// <summary>Transfer-Encoding: chunked and no Content-Length, so the client learns the size only by reading.</summary>
    Chunked,
}

/// <summary>What a <see cref="LoopbackFileServer"/> answers on one path. Everything but the content has a default.</summary>
public sealed record LoopbackResponse
{
    public int Status { get; init; } = StatusCodes.Status200OK;

    /// <summary>The Content-Type header; none when null.</summary>
    public string? ContentType { get; init; } = "application/octet-stream";

    public byte[] Content { get; init; } = [];

    /// <summary>More headers, sent as they are: Location, Content-Disposition…</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public LoopbackFraming Framing { get; init; } = LoopbackFraming.ContentLength;

    /// <summary>
    /// A Content-Length to send instead of the content's own length: a lie. Larger than the content, the
    /// client gets the headers, then the content, then the connection closes short of what was declared
    /// (Kestrel aborts a response that wrote too little). Smaller, only that many bytes are sent (a
    /// client would not read further anyway). Ignored with <see cref="LoopbackFraming.Chunked"/>.
    /// </summary>
    public long? DeclaredLength { get; init; }

    /// <summary>How long to wait before sending anything, headers included (a host that accepts the connection and says nothing).</summary>
    public TimeSpan HeadersDelay { get; init; }

    /// <summary>How long to wait between sending the headers and the body (a body that trickles in too late).</summary>
    public TimeSpan BodyDelay { get; init; }

    public static LoopbackResponse File(byte[] content, string? contentType = "application/octet-stream") =>
        new() { Content = content, ContentType = contentType };

    /// <summary>A redirect to <paramref name="location"/> (absolute, or relative to the request's URL), with no body.</summary>
    public static LoopbackResponse Redirect(string location, int status = StatusCodes.Status302Found) =>
        new() { Status = status, ContentType = null, Headers = new Dictionary<string, string> { ["Location"] = location } };
}

/// <summary>
/// A real HTTP/1.1 server (Kestrel) on 127.0.0.1 and a random free port, serving what the test registers,
/// for code that fetches URLs over the network (the outbound fetcher, attachments). Fetching from it
/// needs <c>Outbound:AllowedAddresses</c> to include 127.0.0.1: loopback is not public.
/// </summary>
/// <remarks>
/// <para>Register answers by path (exact, case-sensitive, decoded as ASP.NET Core decodes it: "/a b.png" answers /a%20b.png; without the query) with <see cref="Serve(string, LoopbackResponse)"/>,
/// <see cref="Serve(string, byte[], string?)"/> or <see cref="Redirect"/>, before or while requests come in; a
/// path registered again answers the new way from then on. Any other path answers 404 with no body.</para>
/// <para>Every request is recorded in <see cref="Requests"/> as it arrives, whatever its path, so
/// <c>Assert.Empty(server.Requests)</c> means nothing reached the server at all, and
/// <c>Assert.Equal(["/a"], server.Requests.Select(r => r.Path))</c> that only /a was asked for.</para>
/// <para><see cref="WaitForRequestsAsync"/> waits for requests to arrive without polling, for a test that acts
/// while one is held open (by a delay).</para>
/// <para>Delays are real time and end early when the client goes away or the server is disposed, so a
/// test of a timeout waits for its own timeout only: give a delay well beyond it (30 s against 1 s).</para>
/// <code>
/// await using var server = await LoopbackFileServer.StartAsync();
/// server.Serve("/photo.png", bytes, "image/png");
/// server.Redirect("/old.png", "/photo.png");
/// var url = server.Url("/old.png");          // http://127.0.0.1:{port}/old.png
/// </code>
/// </remarks>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, LoopbackResponse> answers = new(StringComparer.Ordinal);
    private readonly List<LoopbackRequest> received = [];
    private readonly Lock gate = new();
    private TaskCompletionSource arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();

    private LoopbackFileServer(WebApplication app) => this.app = app;

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public int Port => BaseUrl.Port;

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<LoopbackRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. received];
            }
        }
    }

    public static async Task<LoopbackFileServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackFileServer(app);
        app.Run(server.AnswerAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return server;
    }

    /// <summary>This server's URL for <paramref name="pathAndQuery"/> ("/a.png", "/a.png?x=1").</summary>
    public Uri Url(string pathAndQuery) => new(BaseUrl, pathAndQuery);

    public void Serve(string path, LoopbackResponse response) => answers[path] = response;

    /// <summary>200 with <paramref name="content"/> and its Content-Length.</summary>
    public void Serve(string path, byte[] content, string? contentType = "application/octet-stream") =>
        Serve(path, LoopbackResponse.File(content, contentType));

    /// <summary><paramref name="path"/> redirects to <paramref name="location"/> (302 unless told).</summary>
    public void Redirect(string path, string location, int status = StatusCodes.Status302Found) =>
        Serve(path, LoopbackResponse.Redirect(location, status));

    /// <summary>
    /// Returns once <paramref name="count"/> requests have arrived in all (for a test that acts while a
    /// request is held open); throws TimeoutException after <paramref name="patience"/>.
    /// </summary>
    public async Task WaitForRequestsAsync(int count, TimeSpan patience)
    {
        using var giveUp = new CancellationTokenSource(patience);
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (received.Count >= count)
                {
                    return;
                }

                next = arrival.Task;
            }

            try
            {
                await next.WaitAsync(giveUp.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{count} requests expected within {patience}; {Requests.Count} arrived.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }

    private async Task AnswerAsync(HttpContext http)
    {
        var request = http.Request;
        lock (gate)
        {
            received.Add(new LoopbackRequest(request.Method, request.Path + request.QueryString, request.Headers.Host.Count > 0 ? request.Headers.Host.ToString() : null));
            arrival.TrySetResult();
            arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        if (!answers.TryGetValue(request.Path.Value ?? "", out var answer))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var gone = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping.Token);
        try
        {
            await Task.Delay(answer.HeadersDelay, gone.Token);
            var response = http.Response;
            response.StatusCode = answer.Status;
            if (answer.ContentType is not null)
            {
                response.ContentType = answer.ContentType;
            }

            foreach (var (name, value) in answer.Headers)
            {
                response.Headers[name] = value;
            }

            var sent = answer.Content.AsMemory();
            if (answer.Framing == LoopbackFraming.ContentLength)
            {
                response.ContentLength = answer.DeclaredLength ?? answer.Content.Length;
                sent = sent[..(int)Math.Min(sent.Length, response.ContentLength.Value)];
            }

            // Without a Content-Length, headers sent before the body make Kestrel frame it chunked.
            await response.StartAsync(gone.Token);
            await response.Body.FlushAsync(gone.Token);
            await Task.Delay(answer.BodyDelay, gone.Token);
            for (var offset = 0; offset < sent.Length; offset += 64 * 1024)
            {
                await response.Body.WriteAsync(sent.Slice(offset, Math.Min(64 * 1024, sent.Length - offset)), gone.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client gave up, or the server is stopping: nothing more to send.
            http.Abort();
        }
    }
}
