using System.Collections.Concurrent;
using Microsoft.AspNetCore.Routing.Template;

namespace Hypermedia.Server.Platform.Http;

/// <summary>
/// Builds resource IRIs from named routes (never by string concatenation in handlers), and reads
/// IRIs that clients send back (<c>"parent": "/accounts/acme"</c>) against the same routes.
/// </summary>
public sealed class Iris(LinkGenerator links, EndpointDataSource endpoints)
{
    private readonly ConcurrentDictionary<string, TemplateMatcher> matchers = new();

    public string For(string routeName, object values) =>
        links.GetPathByName(routeName, values)
        ?? throw new InvalidOperationException($"No route named '{routeName}' accepts {values}.");

    /// <summary>The route value <paramref name="key"/> of an IRI of the named route (relative or absolute), or null.</summary>
    public string? Match(string? iri, string routeName, string key)
    {
        if (string.IsNullOrWhiteSpace(iri) || iri.Length > 2048)
        {
            return null;
        }

        var path = Uri.TryCreate(iri, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute.AbsolutePath
            : iri.Split('?', '#')[0];
        if (!path.StartsWith('/'))
        {
            return null;
        }

        var values = new RouteValueDictionary();
        return Matcher(routeName).TryMatch(PathString.FromUriComponent(path), values)
            ? values[key]?.ToString()
            : null;
    }

    private TemplateMatcher Matcher(string routeName) => matchers.GetOrAdd(routeName, name =>
    {
        var endpoint = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == name);
        return new TemplateMatcher(TemplateParser.Parse(endpoint.RoutePattern.RawText!), []);
    });
}
