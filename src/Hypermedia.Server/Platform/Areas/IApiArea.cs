namespace Hypermedia.Server.Platform.Areas;

/// <summary>
/// A feature area: its folder registers everything it adds through one class implementing this,
/// found at start (<see cref="ApiAreas"/>). Nothing central lists areas. Entity configurations are
/// found by EF Core from the same assembly; contexts stay one file per type in <c>contexts/</c>; the
/// API documentation's classes come from the resource types the routes produce.
/// </summary>
public interface IApiArea
{
    /// <summary>The area's services (issuers, rules, jobs).</summary>
    void AddServices(IServiceCollection services)
    {
    }

    /// <summary>The area's routes, on groups that already carry authentication and the tenancy check.</summary>
    void MapRoutes(AreaRoutes routes);

    /// <summary>Links the area adds to every Account (each route takes <c>{account}</c>).</summary>
    IEnumerable<AccountLink> AccountLinks => [];

    /// <summary>Links the area adds to the entry point.</summary>
    IEnumerable<EntryPointLink> EntryPointLinks => [];

    /// <summary>
    /// First path segments the area serves outside the endpoint routes (a dashboard mounted as
    /// middleware, a path planned for later), so no account slug can take them. Mapped routes are
    /// reserved without being listed here.
    /// </summary>
    IEnumerable<string> ReservedSegments => [];

    /// <summary>Pages the area adds to the jobs dashboard (support staff only).</summary>
    IEnumerable<Dashboard.DashboardPage> DashboardPages => [];
}
