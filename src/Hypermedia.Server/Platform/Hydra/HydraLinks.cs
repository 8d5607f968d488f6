namespace Hypermedia.Server.Platform.Hydra;

/// <summary>Advertises the API documentation on every response, errors included (Hydra §Discovery).</summary>
public sealed class ApiDocumentationLinkMiddleware(RequestDelegate next)
{
    public const string Rel = "http://www.w3.org/ns/hydra/core#apiDocumentation";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.Append("Link", $"<{ApiDocumentationBuilder.Path}>; rel=\"{Rel}\"");
            return Task.CompletedTask;
        });
        return next(context);
    }
}
