namespace Hypermedia.Server.Platform.Outbound;

/// <summary>
/// What was fetched: at most the caller's <c>maxBytes</c> bytes. <paramref name="ContentType"/> is the
/// Content-Type header as the server sent it, parameters included ("text/plain; charset=utf-8"), or null;
/// <paramref name="FinalUrl"/> is the URL after redirects; <paramref name="FileName"/> comes from
/// Content-Disposition when present, else the final URL's last path segment, without any directory part,
/// or null.
/// </summary>
public sealed record FetchedFile(byte[] Content, string? ContentType, Uri FinalUrl, string? FileName);
