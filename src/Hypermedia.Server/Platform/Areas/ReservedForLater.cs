namespace Hypermedia.Server.Platform.Areas;

/// <summary>
/// Top-level paths of the TextUs API and of operations that no area serves yet. Reserved now so that no
/// account takes a slug an area will need; each name leaves this list when its area maps the route.
/// </summary>
public sealed class ReservedForLater : IApiArea
{
    public IEnumerable<string> ReservedSegments =>
    [
        "saved_replies", "campaigns", "integrations",
        "jobs", "health", "docs", "me",
    ];

    public void MapRoutes(AreaRoutes routes)
    {
    }
}
