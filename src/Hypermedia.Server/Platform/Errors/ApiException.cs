namespace Hypermedia.Server.Platform.Errors;

/// <summary>
/// A request the server refuses with a 4xx. Handlers throw it; <see cref="ErrorHandlingMiddleware"/>
/// turns it into a problem document, so every refusal has the same shape.
/// </summary>
public sealed class ApiException(int status, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;

    public string Detail { get; } = detail;

    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;

    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>();

    public static ApiException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);

    public static ApiException Forbidden(string detail) => new(StatusCodes.Status403Forbidden, detail);

    /// <summary>Also what another account's resource answers: its existence is not revealed.</summary>
    public static ApiException NotFound(string what = "resource") =>
        new(StatusCodes.Status404NotFound, $"The {what} does not exist or is not available to you.");

    public static ApiException Conflict(string detail) => new(StatusCodes.Status409Conflict, detail);

    public static ApiException PayloadTooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the limit of {limit} bytes.");

    public static ApiException UnsupportedMediaType(string? contentType) =>
        new(StatusCodes.Status415UnsupportedMediaType,
            $"Content-Type '{contentType}' is not supported; send application/json, application/ld+json or application/vnd.textus+jsonld.");

    /// <summary>A rule broken by one field.</summary>
    public static ApiException Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ApiException Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(StatusCodes.Status422UnprocessableEntity,
            string.Join(" ", errors.Select(e => $"{e.Key} {string.Join("; ", e.Value.Select(m => m.TrimEnd('.')))}.")), errors);
}
