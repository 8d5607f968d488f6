using System.Globalization;

namespace Hypermedia.Server.Platform;

/// <summary>RFC 3339 timestamps (<c>2058-10-25T18:09:13Z</c>): a date, a time and an explicit offset; nothing looser.</summary>
public static class Rfc3339
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
    ];

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;

        // RFC 3339 allows lower-case t and z.
        return text is { Length: <= 40 }
            && DateTimeOffset.TryParseExact(text.ToUpperInvariant(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
