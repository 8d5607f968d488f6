using System.Text.Json;
using Hypermedia.JsonLd;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Json;

namespace Hypermedia.Server.Platform.Http;

/// <summary>Responses carrying a JSON-LD document, in the media type the client asked for.</summary>
public static class ApiResults
{
    /// <summary>200, with the <c>ETag</c> (when given) a client sends back in <c>If-Match</c> to make its next write conditional.</summary>
    public static IResult Ok<T>(T body, string? etag = null) where T : TypedNode =>
        new JsonLdResult<T>(body, StatusCodes.Status200OK, etag: etag);

    /// <summary>201 with <c>Location</c> set to the new resource's IRI.</summary>
    public static IResult Created<T>(T body, string? etag = null) where T : Resource =>
        new JsonLdResult<T>(body, StatusCodes.Status201Created, body.Id, etag);

    /// <summary>202 with <c>Location</c> set to the resource that tracks the accepted work (a bulk send).</summary>
    public static IResult Accepted<T>(T body) where T : Resource =>
        new JsonLdResult<T>(body, StatusCodes.Status202Accepted, body.Id);

    private sealed class JsonLdResult<T>(T body, int status, string? location = null, string? etag = null) : IResult, IStatusCodeHttpResult
        where T : TypedNode
    {
        public int? StatusCode => status;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var mediaType = MediaTypes.Negotiate(httpContext.Request)
                ?? throw new ApiException(StatusCodes.Status406NotAcceptable,
                    $"None of the accepted media types is served; ask for {MediaTypes.JsonLd}, {MediaTypes.Json} or {MediaTypes.TextUs}.");

            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = mediaType + "; charset=utf-8";
            response.Headers.Vary = "Accept";
            if (location is not null)
            {
                response.Headers.Location = location;
            }

            if (etag is not null)
            {
                response.Headers.ETag = etag;
            }

            if (mediaType == MediaTypes.Json)
            {
                // Plain JSON is read as JSON-LD only through a context link (JSON-LD 1.1 §6.1).
                response.Headers.Append("Link", $"<{body.Context}>; rel=\"http://www.w3.org/ns/json-ld#context\"");
            }

            await JsonSerializer.SerializeAsync(response.Body, body, ApiJson.Response, httpContext.RequestAborted);
        }
    }
}
