using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Json;

namespace Hypermedia.Server.Platform.Http;

/// <summary>
/// Reads a JSON request body under the same rules everywhere: JSON media types only (415), at most
/// <see cref="MaxBytes"/> (413), well-formed (400), an object (400), fields of the right type (422).
/// TextUs snake_case names and camelCase names are both accepted.
/// </summary>
public static partial class RequestBody
{
    public const int MaxBytes = 1024 * 1024;

    public static async Task<T> ReadAsync<T>(HttpRequest request)
    {
        var node = await ReadObjectAsync(request);
        try
        {
            return node.Deserialize<T>(ApiJson.Request)
                ?? throw ApiException.BadRequest("The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw ApiException.Invalid(FieldOf(e.Path), $"must be {Expected(e.Message)}");
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        if (!MediaTypes.IsJsonBody(request.ContentType))
        {
            throw ApiException.UnsupportedMediaType(request.ContentType);
        }

        if (request.ContentLength > MaxBytes)
        {
            throw ApiException.PayloadTooLarge(MaxBytes);
        }

        var bytes = await ReadLimitedAsync(request.Body, request.HttpContext.RequestAborted);
        if (bytes.Length == 0)
        {
            throw ApiException.BadRequest("A JSON request body is required.");
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest(
                $"The request body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        if (parsed is not JsonObject body)
        {
            throw ApiException.BadRequest("The request body must be a JSON object.");
        }

        Normalize(body, "");
        return body;
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw ApiException.PayloadTooLarge(MaxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// One walk over the body: rewrites snake_case keys (TextUs request style) to camelCase in place, and
    /// refuses text PostgreSQL (text and jsonb) cannot hold — U+0000 and unpaired surrogates, which JSON's
    /// \u escapes can express — naming the field, instead of failing inside the database.
    /// </summary>
    private static void Normalize(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (!IsStorable(key))
                    {
                        throw ApiException.Invalid(path.Length == 0 ? "body" : path, UnstorableMessage);
                    }

                    var camel = ToCamelCase(key);
                    Normalize(value, path.Length == 0 ? camel : path + "." + camel);
                    if (camel != key)
                    {
                        obj.Remove(key);
                        obj[camel] = value;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Normalize(array[i], $"{path}[{i}]");
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && !IsStorable(value):
                throw ApiException.Invalid(path, UnstorableMessage);
        }
    }

    private const string UnstorableMessage = "must be valid Unicode text without NUL characters";

    private static bool IsStorable(JsonValue value)
    {
        try
        {
            return IsStorable(value.GetValue<string>());
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to unescape an unpaired surrogate into a string.
            return false;
        }
    }

    private static bool IsStorable(string text) => !text.Contains('\0');

    internal static string ToCamelCase(string key) =>
        key.Contains('_') && !key.StartsWith('@')
            ? SnakeSegment().Replace(key, m => m.Groups[1].Value.ToUpperInvariant())
            : key;

    /// <summary>"$.phones[0].number" → "phones[0].number", the way a client names the field.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

    private static string Expected(string message)
    {
        var target = ConvertedTo().Match(message).Groups[1].Value;
        return target switch
        {
            "System.String" => "a string",
            "System.Boolean" => "true or false",
            "System.Int32" or "System.Int64" => "an integer",
            "System.Decimal" or "System.Double" => "a number",
            "System.DateTimeOffset" or "System.DateTime" => "an RFC 3339 date-time string",
            _ when target.Contains("List") || target.Contains("[]") => "an array",
            _ when target.Contains("Dictionary") || target.Contains("JsonObject") => "an object",
            _ => "a value of the documented type",
        };
    }

    [GeneratedRegex("_([a-zA-Z0-9])")]
    private static partial Regex SnakeSegment();

    [GeneratedRegex(@"converted to ([\w.`\[\]]+)")]
    private static partial Regex ConvertedTo();
}
