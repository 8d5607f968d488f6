using Hangfire.Dashboard;

namespace Hypermedia.Server.Platform.Dashboard;

/// <summary>
/// A page an area adds to the jobs dashboard, inside its layout and with an entry in its menu
/// (<see cref="Areas.IApiArea.DashboardPages"/>). <paramref name="Path"/> is under the dashboard's own path.
/// </summary>
public sealed record DashboardPage(string Path, string Title, Func<RazorPage> Create);
