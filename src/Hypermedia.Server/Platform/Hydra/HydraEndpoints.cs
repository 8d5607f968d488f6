using System.Text.Json;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Json;

namespace Hypermedia.Server.Platform.Hydra;

/// <summary>The two public, cacheable documents every client needs first: contexts and the API documentation.</summary>
public static class HydraEndpoints
{
    private const string CacheControl = "public, max-age=3600";

    public static IEndpointRouteBuilder MapHydraApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/contexts/{name}", (string name, ContextCatalog catalog, HttpContext context) =>
            catalog.Find(name.EndsWith(".jsonld", StringComparison.Ordinal) ? name[..^".jsonld".Length] : name) is { } document
                ? Cached(context, document.Content, document.ETag)
                : Results.NotFound())
            .WithName("context").AllowAnonymous();

        endpoints.MapGet(ApiDocumentationBuilder.Path, (ApiDocumentationDocument document, HttpContext context) =>
            Cached(context, document.Content, document.ETag))
            .WithName("apiDocumentation").AllowAnonymous();

        return endpoints;
    }

    private static IResult Cached(HttpContext context, byte[] content, string etag)
    {
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = CacheControl;
        return context.Request.Headers.IfNoneMatch == etag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(content, MediaTypes.JsonLd);
    }
}

/// <summary>The API documentation, serialized once on first use (endpoints are all mapped by then).</summary>
public sealed class ApiDocumentationDocument(ApiDocumentationBuilder builder)
{
    private readonly Lazy<(byte[], string)> serialized = new(() =>
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(builder.Build(), ApiJson.Response);
        return (bytes, ETags.Of(bytes));
    });

    public byte[] Content => serialized.Value.Item1;

    public string ETag => serialized.Value.Item2;
}
