using Hangfire.Dashboard;

namespace Hypermedia.Server.Platform.Dashboard;

/// <summary>
/// A page an area adds to the jobs dashboard, inside its layout and with an entry in its menu
/// (<see cref="Areas.IApiArea.DashboardPages"/>). <paramref name="Path"/> is under the dashboard's own path.
/// </summary>
public sealed record DashboardPage(string Path, string Title, Func<RazorPage> Create);

/// <summary>What the dashboard's live pages share.</summary>
public static class DashboardMarkup
{
    /// <summary>
    /// Reloads the page in 5 seconds, to show work in progress. The timer is <c>window.hmReload</c>, so
    /// a script (a browser test, a user's bookmarklet) can stop it with <c>clearTimeout(window.hmReload)</c>.
    /// </summary>
    public const string ReloadSoon = "<script>window.hmReload = setTimeout(function () { location.reload(); }, 5000);</script>";
}
