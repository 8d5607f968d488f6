using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hypermedia.Server.Platform.Errors;
using Microsoft.Net.Http.Headers;

namespace Hypermedia.Server.Platform.Http;

public static class ETags
{
    /// <summary>A strong ETag from the content's hash.</summary>
    public static string Of(byte[] content) => "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";

    /// <summary>
    /// A strong ETag for one version of a row: <paramref name="version"/> is the row's PostgreSQL
    /// <c>xmin</c>, which changes with every update of the row. It is hashed with the row's identity so
    /// the tag is opaque: a raw transaction id would tell every tenant how busy the database is.
    /// </summary>
    public static string ForVersion(string type, long id, uint version) =>
        Of(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{type}/{id}/{version}")));

    /// <summary>
    /// Honours <c>If-Match</c> (RFC 9110 §13.1.1) on a write to a resource whose current tag is
    /// <paramref name="current"/>: no header lets the write through; <c>*</c> matches any existing
    /// resource; otherwise one listed tag must equal the current one by strong comparison (a weak
    /// tag never matches), or the write is refused with 412 and changes nothing.
    /// </summary>
    /// <remarks>Call it after locking the row, so no other write can slip in between check and change.</remarks>
    public static void RequireIfMatch(HttpRequest request, string current)
    {
        var ifMatch = request.Headers.IfMatch;
        if (ifMatch.Count == 0)
        {
            return;
        }

        if (!EntityTagHeaderValue.TryParseStrictList(ifMatch, out var tags) || tags.Count == 0)
        {
            throw ApiException.BadRequest("If-Match must be '*' or a list of entity tags such as \"3f2a…\".");
        }

        var currentTag = EntityTagHeaderValue.Parse(current);
        if (!tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(currentTag, useStrongComparison: true)))
        {
            var stale = new ApiException(StatusCodes.Status412PreconditionFailed,
                $"The resource changed since the version in If-Match; its current ETag is {current}. GET it again, reapply your change and retry.");
            stale.Headers[HeaderNames.ETag] = current;
            throw stale;
        }
    }
}
