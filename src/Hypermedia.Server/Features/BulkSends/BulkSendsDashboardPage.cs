using System.Globalization;
using System.Net;
using System.Text;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Dashboard;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.BulkSends;

/// <summary>
/// The dashboard's "Bulk sends" page: every running bulk send (and those finished in the last day) with
/// its progress bar, linked to its API resource and to its fan-out jobs' pages. Reloads itself every
/// 5 s while something runs.
/// </summary>
public sealed class BulkSendsDashboardPage : RazorPage
{
    public const string Path = "/bulk-sends";
    private const int Shown = 100;
    private static readonly TimeSpan Recent = TimeSpan.FromDays(1);

    private sealed record Row(BulkSend Send, string AccountSlug);

    public override void Execute()
    {
        Layout = new LayoutPage("Bulk sends");
        var services = Context.GetHttpContext().RequestServices;
        var rows = Read(services.GetRequiredService<HypermediaDbContext>(), services.GetRequiredService<TimeProvider>().GetUtcNow());
        var iris = services.GetRequiredService<Iris>();
        var running = rows.Count(r => !BulkSendStates.Finished.Contains(r.Send.State));

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <div class="row"><div class="col-md-12">
            <h1 class="page-header">Bulk sends</h1>
            <p>{running:N0} running. Sends to several recipients, running or finished in the last day, newest first.
            Each links to its API resource and to the jobs that fan it out.</p>
            """);
        if (rows.Count == 0)
        {
            html.Append("""<div class="alert alert-info">No bulk sends are running or finished in the last day.</div>""");
        }
        else
        {
            html.Append("""
                <table class="table table-hover" id="bulk-sends">
                <thead><tr><th>Bulk send</th><th>Account</th><th>State</th><th style="min-width: 14em">Progress</th><th>Sent</th><th>Skipped</th><th>Cancelled</th><th>Jobs</th><th>Created</th></tr></thead>
                <tbody>
                """);
            foreach (var row in rows)
            {
                AppendRow(html, row, iris);
            }

            html.Append("</tbody></table>");
        }

        html.Append("</div></div>");
        if (running > 0)
        {
            html.Append(DashboardMarkup.ReloadSoon);
        }

        WriteLiteral(html.ToString());
    }

    /// <summary>Synchronous: Hangfire renders its pages synchronously.</summary>
    private static List<Row> Read(HypermediaDbContext db, DateTimeOffset now)
    {
        var since = now - Recent;
        return db.BulkSends.AsNoTracking()
            .Where(b => !BulkSendStates.Finished.Contains(b.State) || b.LatestEventAt >= since)
            .OrderByDescending(b => b.Id)
            .Take(Shown)
            .Select(b => new Row(b, b.Account!.Slug))
            .ToList();
    }

    private void AppendRow(StringBuilder html, Row row, Iris iris)
    {
        var send = row.Send;
        var iri = iris.For(BulkSendsApi.BulkSendRoute, new { id = send.Slug });
        var progress = new JobProgress(send.SentCount + send.SkippedCount + send.CancelledCount, send.TotalCount, "recipients", iri);
        var jobs = string.Join(" ", send.JobIds.Select(id => $"""<a href="{Url.JobDetails(id)}">#{Encode(id)}</a>"""));
        html.Append(CultureInfo.InvariantCulture, $"""
            <tr data-bulk-send="{Encode(send.Slug)}">
              <td><a href="{Encode(iri)}">{Encode(iri)}</a></td>
              <td>{Encode(row.AccountSlug)}</td>
              <td>{Encode(send.State)}</td>
              <td>{progress.ToHtml()}</td>
              <td>{send.SentCount:N0}</td>
              <td>{send.SkippedCount:N0}</td>
              <td>{send.CancelledCount:N0}</td>
              <td>{jobs}</td>
              <td>{send.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC</td>
            </tr>
            """);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
