namespace Hypermedia.Server.Platform.Areas;

/// <summary>
/// First path segments an account slug may not take: <c>/{account}/…</c> shares the root with every
/// literal route, so an account named like one would shadow it or be shadowed. Derived from the mapped
/// endpoints and the areas' declared extras, read once the endpoints are all mapped.
/// </summary>
public sealed class ReservedPaths(EndpointDataSource endpoints, IEnumerable<IApiArea> areas)
{
    private readonly Lazy<HashSet<string>> segments = new(() =>
    [
        .. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.PathSegments.FirstOrDefault())
            .Where(s => s is { IsSimple: true } && s.Parts[0].IsLiteral)
            .Select(s => ((Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart)s!.Parts[0]).Content.ToLowerInvariant()),
        .. areas.SelectMany(a => a.ReservedSegments),
    ]);

    public bool IsReserved(string slug) => segments.Value.Contains(slug.ToLowerInvariant());
}
