using System.Text.Json;
using System.Text.RegularExpressions;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Json;

namespace Hypermedia.Server.Platform.Http;

/// <summary>
/// Reads a JSON request body under the same rules everywhere: JSON media types only (415), at most
/// <see cref="MaxBytes"/> (413), well-formed with no field given twice (400), an object (400), storable
/// text (422), few fields the operation ignores (422), fields of the right type (422). TextUs
/// snake_case names and camelCase names are both accepted (<see cref="BodyWalk"/>).
/// </summary>
public static partial class RequestBody
{
    public const int MaxBytes = 1024 * 1024;

    public static async Task<T> ReadAsync<T>(HttpRequest request)
    {
        var body = BodyWalk.Normalize(await ReadBytesAsync(request), BodyShape.For(typeof(T)));
        try
        {
            return JsonSerializer.Deserialize<T>(body.Span, ApiJson.Request)
                ?? throw ApiException.BadRequest("The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw ApiException.Invalid(FieldOf(e.Path), $"must be {Expected(TypeAt(typeof(T), e.Path))}");
        }
    }

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request)
    {
        if (!MediaTypes.IsJsonBody(request.ContentType))
        {
            throw ApiException.UnsupportedMediaType(request.ContentType);
        }

        if (request.ContentLength > MaxBytes)
        {
            throw ApiException.PayloadTooLarge(MaxBytes);
        }

        var bytes = await ReadFramedAsync(request.Body, request.HttpContext.RequestAborted);
        return bytes.Length > 0 ? bytes : throw ApiException.BadRequest("A JSON request body is required.");
    }

    /// <summary>
    /// Kestrel reports most broken framing as BadHttpRequestException, but a chunk size that overflows
    /// as a bare IOException ("Bad chunk size data"): both are the client's request, so both are a 400.
    /// </summary>
    private static async Task<byte[]> ReadFramedAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadLimitedAsync(body, cancellationToken);
        }
        catch (IOException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away mid-body; nobody is left to answer.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (IOException)
        {
            throw ApiException.BadRequest("The request could not be read: its body's framing is invalid.");
        }
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

    /// <summary>"$.phones[0].number" → "phones[0].number", the way a client names the field.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

    /// <summary>
    /// The declared type at a JSON path of the request type ("$.phones[0].number" → string), read from
    /// the serializer's own metadata; null when the path leaves it. (The exception's message names the
    /// type that failed to convert, which on .NET 10 is the enclosing record, not the field.)
    /// </summary>
    private static Type? TypeAt(Type root, string? path)
    {
        Type? type = root;
        foreach (Match segment in PathSegment().Matches(path ?? ""))
        {
            type = segment.Groups["index"].Success ? ElementType(type!) : PropertyType(type!, segment.Groups["name"].Value);
            if (type is null)
            {
                return null;
            }
        }

        return Nullable.GetUnderlyingType(type!) ?? type;
    }

    private static Type? PropertyType(Type type, string name) =>
        ApiJson.Request.GetTypeInfo(type).Properties.FirstOrDefault(p => p.Name == name)?.PropertyType;

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : type.IsGenericType ? type.GetGenericArguments()[^1] : null;

    private static string Expected(Type? type) => type switch
    {
        null => "a value of the documented type",
        _ when type == typeof(string) => "a string",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "an integer",
        _ when type == typeof(decimal) || type == typeof(double) => "a number",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an RFC 3339 date-time string",
        _ when type == typeof(System.Text.Json.Nodes.JsonObject) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)) => "an object",
        _ when type.IsArray || typeof(System.Collections.IEnumerable).IsAssignableFrom(type) => "an array",
        _ => "an object",
    };

    /// <summary>".name", "[0]" and "['odd name']" steps of a System.Text.Json path.</summary>
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<name>[^']*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
