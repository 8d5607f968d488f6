using Microsoft.Net.Http.Headers;

namespace Hypermedia.Server.Platform.Http;

/// <summary>The media types the API speaks, and which one a request asked for.</summary>
public static class MediaTypes
{
    public const string JsonLd = "application/ld+json";
    public const string Json = "application/json";
    public const string TextUs = "application/vnd.textus+jsonld";
    public const string Problem = "application/problem+json";

    private static readonly string[] Representations = [JsonLd, Json, TextUs];

    /// <summary>The representation type to answer with; JSON-LD when the client has no preference; null when nothing it accepts is served.</summary>
    public static string? Negotiate(HttpRequest request) => Negotiate(request, Representations);

    /// <summary>Errors go out as problem documents unless the client asked for one of our types by name.</summary>
    public static string NegotiateProblem(HttpRequest request) =>
        Negotiate(request, [Problem, .. Representations]) ?? Problem;

    public static bool IsJsonBody(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return false;
        }

        var type = parsed.MediaType.Value ?? "";
        return Representations.Contains(type, StringComparer.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static string? Negotiate(HttpRequest request, string[] offered)
    {
        var accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept)
            || !MediaTypeHeaderValue.TryParseList(accept.Split(','), out var ranges)
            || ranges.Count == 0)
        {
            return offered[0];
        }

        string? best = null;
        double bestQuality = 0;
        var bestSpecificity = -1;
        foreach (var candidate in offered)
        {
            foreach (var range in ranges)
            {
                var quality = range.Quality ?? 1.0;
                if (quality <= 0 || !Covers(range, candidate))
                {
                    continue;
                }

                // An exact type beats a wildcard; among equals the earlier offer wins.
                var specificity = range.MatchesAllTypes ? 0 : range.MatchesAllSubTypes ? 1 : 2;
                if (quality > bestQuality || (quality == bestQuality && specificity > bestSpecificity))
                {
                    (best, bestQuality, bestSpecificity) = (candidate, quality, specificity);
                }
            }
        }

        return best;
    }

    /// <summary>
    /// Exact type or wildcard match. (MediaTypeHeaderValue.IsSubsetOf also matches "+json" suffixes,
    /// which would answer application/ld+json to a client that asked for application/json.)
    /// </summary>
    private static bool Covers(MediaTypeHeaderValue range, string candidate) =>
        range.MatchesAllTypes
        || (range.MatchesAllSubTypes && candidate.StartsWith(range.Type.Value + "/", StringComparison.OrdinalIgnoreCase))
        || string.Equals(range.MediaType.Value, candidate, StringComparison.OrdinalIgnoreCase);
}
