using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Platform.Outbound;

/// <summary>
/// The one way the server GETs a URL a client gave it (attachments now, webhooks later): public
/// addresses only, each redirect checked again from scratch, the size and the time bounded.
/// A singleton: one handler, its connection pool shared by every fetch.
/// </summary>
public sealed class OutboundFetcher : IDisposable
{
    private const string OnlyPublic = "only public internet addresses are fetched";

    // Some hosts refuse a request without one.
    private static readonly ProductInfoHeaderValue UserAgent = new("Hypermedia", "1.0");

    private readonly HttpMessageInvoker client;
    private readonly ILogger<OutboundFetcher> logger;
    private readonly int maxRedirects;
    private readonly int timeoutSeconds;

    public OutboundFetcher(IOptions<OutboundOptions> options, ILogger<OutboundFetcher> logger)
    {
        var settings = options.Value;
        this.logger = logger;
        maxRedirects = settings.MaxRedirects;
        timeoutSeconds = settings.TimeoutSeconds;
        var allowed = settings.AllowedAddresses
            .Select(entry => OutboundOptions.TryParseAllowed(entry, out var range)
                ? range
                : throw new FormatException($"{OutboundOptions.Section}:AllowedAddresses has \"{entry}\", which is not an address or CIDR range."))
            .ToArray();
        client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = new CheckedConnections(allowed).ConnectAsync,
            // A proxy would make the connection, and choose the address, instead of the callback.
            UseProxy = false,
            // Redirects are followed by hand, so each target is checked.
            AllowAutoRedirect = false,
            UseCookies = false,
            // Nothing asks for compression, so Content-Length is the size of the file.
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        });
    }

    /// <summary>
    /// GETs <paramref name="url"/>, following redirects, and returns at most <paramref name="maxBytes"/>
    /// bytes. Throws <see cref="OutboundFetchException"/> for every refusal or failure, its message
    /// naming the URL's problem; cancelling <paramref name="cancellationToken"/> throws
    /// <see cref="OperationCanceledException"/> as usual.
    /// </summary>
    public async Task<FetchedFile> FetchAsync(Uri url, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maxBytes, (long)Array.MaxLength);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        var current = new Hop(url, 0);
        try
        {
            while (true)
            {
                Check(current);
                using var response = await SendAsync(current, deadline.Token);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    var location = response.Headers.Location
                        ?? throw new OutboundFetchException(OutboundFailure.BadStatus, $"{current.Subject} answered {Status(status)} without a Location.");
                    if (current.Redirects == maxRedirects)
                    {
                        throw new OutboundFetchException(OutboundFailure.Refused, maxRedirects == 0
                            ? "The URL redirected, and redirects are not followed."
                            : $"The URL redirected more than {Count(maxRedirects, "time")}.");
                    }

                    if (!Uri.TryCreate(current.Url, location, out var next))
                    {
                        throw new OutboundFetchException(OutboundFailure.BadStatus, $"{current.Subject} answered {Status(status)} with a Location that is not a URL.");
                    }

                    current = new Hop(next, current.Redirects + 1);
                    continue;
                }

                if (status is < 200 or > 299)
                {
                    throw new OutboundFetchException(OutboundFailure.BadStatus, $"{current.Subject} answered {Status(status)}.");
                }

                var content = await ReadAsync(response.Content, current, maxBytes, deadline.Token);
                return new FetchedFile(content, response.Content.Headers.ContentType?.ToString(), current.Url, FileName(response.Content.Headers.ContentDisposition, current.Url));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The deadline, or the handler's connect timeout (the same length, started a moment later).
            var timeout = new OutboundFetchException(OutboundFailure.Timeout, $"The URL was not fetched within {Count(timeoutSeconds, "second")}.");
            Log(current, timeout);
            throw timeout;
        }
        catch (OutboundFetchException failure)
        {
            Log(current, failure);
            throw;
        }
    }

    public void Dispose() => client.Dispose();

    private static void Check(Hop hop)
    {
        var url = hop.Url;
        if (!url.IsAbsoluteUri)
        {
            throw new OutboundFetchException(OutboundFailure.BadUrl, "The URL must be absolute, starting with http:// or https://.");
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw new OutboundFetchException(OutboundFailure.BadUrl, $"{hop.Subject} is not an http or https URL.");
        }

        if (url.UserInfo.Length > 0)
        {
            throw new OutboundFetchException(OutboundFailure.BadUrl, $"{hop.Subject} carries a user name or password, which is not accepted.");
        }

        if (url.Host.Length == 0)
        {
            throw new OutboundFetchException(OutboundFailure.BadUrl, $"{hop.Subject} has no host.");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Hop hop, CancellationToken cancellationToken)
    {
        // HTTP/1.1 at most: HTTP/3 runs over QUIC, which would not go through the connect callback.
        using var request = new HttpRequestMessage(HttpMethod.Get, hop.Url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Headers = { UserAgent = { UserAgent } },
        };
        try
        {
            return await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (Inner<AddressRefusedException>(e) is { } refused)
        {
            var host = hop.Url.Host;
            var what = hop.Url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
                ? $"{hop.Possessive} host {host} is {refused.Why}"
                : $"{hop.Possessive} host {host} resolves to {refused.Address}, {refused.Why}";
            throw new OutboundFetchException(OutboundFailure.Refused, $"{what}: {OnlyPublic}.");
        }
        catch (HttpRequestException e)
        {
            throw new OutboundFetchException(OutboundFailure.Unreachable, $"{hop.Possessive} host {hop.Url.Host} {Unreachable(e)}.");
        }
    }

    private static string Unreachable(HttpRequestException e) => Inner<SocketException>(e)?.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "was not found in DNS",
        SocketError.ConnectionRefused => "refused the connection",
        SocketError.ConnectionReset or SocketError.ConnectionAborted => "closed the connection",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TimedOut => "could not be reached",
        _ => e.HttpRequestError switch
        {
            HttpRequestError.SecureConnectionError => "could not be reached over TLS (is its certificate valid for that name?)",
            HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded => "did not answer with a valid HTTP response",
            _ => "could not be reached",
        },
    };

    /// <summary>Reads the body, never holding more than <paramref name="maxBytes"/> + 1 bytes.</summary>
    private static async Task<byte[]> ReadAsync(HttpContent content, Hop hop, long maxBytes, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw TooLarge($"The file at the URL is {declared.Value.ToString("N0", CultureInfo.InvariantCulture)} bytes", maxBytes);
        }

        // One byte past the limit tells a file that is too large from one that is exactly the limit.
        var limit = (int)maxBytes + 1;
        var buffer = new byte[Math.Min(limit, declared is { } length ? (int)length + 1 : 64 * 1024)];
        var filled = 0;
        try
        {
            await using var body = await content.ReadAsStreamAsync(cancellationToken);
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (filled == limit)
                    {
                        throw TooLarge($"The file at the URL is more than {maxBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes", maxBytes);
                    }

                    Array.Resize(ref buffer, (int)Math.Min(limit, buffer.Length * 2L));
                }

                var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // Among others, a body shorter than its Content-Length: the connection closed early.
            throw new OutboundFetchException(OutboundFailure.Unreachable, $"{hop.Possessive} host {hop.Url.Host} closed the connection before the whole file arrived.");
        }

        Array.Resize(ref buffer, filled);
        return buffer;
    }

    private static OutboundFetchException TooLarge(string size, long maxBytes) =>
        new(OutboundFailure.TooLarge, $"{size}; at most {maxBytes.ToString("N0", CultureInfo.InvariantCulture)} are accepted.");

    /// <summary>The name the server gives the file, else the URL's last path segment; never a path, never empty.</summary>
    private static string? FileName(ContentDispositionHeaderValue? disposition, Uri url)
    {
        var given = Clean(disposition?.FileNameStar) ?? Clean(disposition?.FileName);
        return given ?? Clean(Uri.UnescapeDataString(url.Segments[^1]));

        static string? Clean(string? name)
        {
            if (name is null)
            {
                return null;
            }

            name = name.Trim().Trim('"');
            name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
            name = string.Concat(name.Where(c => !char.IsControl(c))).Trim();
            return name is "" or "." or ".." ? null : name;
        }
    }

    private void Log(Hop hop, OutboundFetchException failure) =>
        // The host and the reason only: a query string may carry a secret, and reasons never hold one.
        logger.LogInformation("Outbound fetch from {Host} failed ({Failure}): {Reason}", hop.Url.IsAbsoluteUri && hop.Url.Host.Length > 0 ? hop.Url.Host : "(no host)", failure.Failure, failure.Message);

    private static T? Inner<T>(Exception e)
        where T : Exception
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Status(int status) =>
        ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? $"{status} {phrase}" : status.ToString(CultureInfo.InvariantCulture);

    private static string Count(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";

    /// <summary>A URL of the chain and how it is named in a reason: the client's own URL, or where it redirected to.</summary>
    private sealed record Hop(Uri Url, int Redirects)
    {
        /// <summary>"The URL …", or "The URL redirected to …, which …".</summary>
        public string Subject => Redirects == 0 ? "The URL" : $"The URL redirected to {Shown}, which";

        /// <summary>"The URL's …", or "The URL redirected to …, and that URL's …".</summary>
        public string Possessive => Redirects == 0 ? "The URL's" : $"The URL redirected to {Shown}, and that URL's";

        /// <summary>Without user information, query or fragment, which may carry secrets; another scheme by its name only.</summary>
        private string Shown => Url.Scheme == Uri.UriSchemeHttp || Url.Scheme == Uri.UriSchemeHttps
            ? $"{Url.Scheme}://{Url.Authority}{Url.AbsolutePath}"
            : $"a {Url.Scheme}: URL";
    }
}
