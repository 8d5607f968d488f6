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

/// <summary>The API documentation, built and serialized once, at start (<see cref="ApiDocumentationStartupFilter"/>).</summary>
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

/// <summary>
/// Builds the API documentation while the host starts, after the application's pipeline is built (every
/// endpoint is mapped and routing sees them) and before the server listens: a term missing from a
/// context, a property without a description or an operation that returns no resource stops the
/// start, and so fails the test suite, instead of failing the first request for the documentation.
/// </summary>
public sealed class ApiDocumentationStartupFilter(ApiDocumentationDocument document) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        _ = document.Content;
    };
}
