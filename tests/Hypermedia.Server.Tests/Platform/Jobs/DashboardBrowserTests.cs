using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hypermedia.Server.Tests.Platform.Jobs;

/// <summary>
/// The app on Kestrel with PostgreSQL job storage and Twilio (a fake on loopback) as its carrier, so a
/// test can hold a bulk send's fan-out mid-way by holding one carrier call; failed jobs are not retried.
/// </summary>
public sealed class BrowserDashboardFactory : TwilioApiFactory
{
    protected override string JobStorage => "PostgreSql";

    protected override void Start()
    {
        UseKestrel(0);
        StartServer();
    }

    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Carriers:Default", "twilio");
        builder.UseSetting("Carriers:Twilio:TimeoutSeconds", "300");
        builder.UseSetting("Jobs:RetryAttempts", "0");
        builder.UseSetting("Jobs:QueuePollSeconds", "1");
        builder.UseSetting("BulkSends:ChunkSize", "50");
    }
}

/// <summary>
/// Support staff in real headless Chromium (Debian's, driven by Playwright): a viewer watches a running
/// bulk send's progress and a failed job's exception and cannot requeue it; an operator can; a user who
/// is not staff cannot sign in. Screenshots go to <c>artifacts/dashboard/</c> at the repository root.
/// </summary>
public sealed class DashboardBrowserTests(BrowserDashboardFactory api) : IClassFixture<BrowserDashboardFactory>
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Staff_watch_a_bulk_send_and_only_an_operator_requeues_a_failed_job()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: scripts/test.sh installs Debian's chromium.");
        var account = await api.CreateAccountAsync();
        var sender = await api.CreateUserAsync(Roles.Admin, account);
        var viewer = await api.CreateUserAsync(Roles.User, StaffLevel.Viewer, account);
        var operatorUser = await api.CreateUserAsync(Roles.User, StaffLevel.Operator, account);
        var outsider = await api.CreateUserAsync(Roles.Admin, account);

        var recipients = Enumerable.Range(0, 200).Select(i => $"+1303224{i:D4}").ToArray();
        var hang = api.Twilio.HangFor(recipients[0]);
        var bulkSend = await (await api.ClientFor(sender).PostJsonAsync($"/{account.Slug}/messages", new { to = recipients, body = "Held mid-way" }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var jobPage = (string)bulkSend["job"]!;
        var bulkSendIri = (string)bulkSend["id"]!;
        await hang.Arrived.WaitAsync(Deadline);
        var failedJob = await FailedJobAsync("Carrier credentials were rejected (dashboard test)");

        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu"],
            });

            var asViewer = await SignInAsync(browser, viewer.Token);
            await OpenAsync(asViewer, Url(jobPage));
            var progress = asViewer.Locator("#job-progress + .hm-progress .hm-progress-text");
            Assert.Matches(new Regex(@"^\d{2,3} / 200 recipients \(\d+%\)$"), (await progress.InnerTextAsync()).Trim());
            Assert.Equal(1, await asViewer.Locator($"a[href='{bulkSendIri}']").CountAsync());
            Assert.Equal("Processing", CurrentState(jobPage.Split('/')[^1]));
            await ShotAsync(asViewer, "viewer-bulk-send-job");

            await OpenAsync(asViewer, Url("/hangfire/bulk-sends"));
            var row = asViewer.Locator($"tr[data-bulk-send='{bulkSendIri.Split('/')[^1]}']");
            Assert.Contains("sending", await row.InnerTextAsync());
            Assert.Matches(new Regex(@"\d{2,3} / 200 recipients"), await row.Locator(".hm-progress-text").InnerTextAsync());
            Assert.Equal(1, await row.Locator($"a[href='/hangfire/jobs/details/{jobPage.Split('/')[^1]}']").CountAsync());
            await ShotAsync(asViewer, "viewer-bulk-sends-page");

            await OpenAsync(asViewer, Url($"/hangfire/jobs/details/{failedJob}"));
            Assert.Contains("Carrier credentials were rejected (dashboard test)", await asViewer.ContentAsync());
            Assert.Contains("System.InvalidOperationException", await asViewer.ContentAsync());
            Assert.Equal(0, await asViewer.GetByRole(AriaRole.Button, new() { Name = "Requeue" }).CountAsync());
            await ShotAsync(asViewer, "viewer-failed-job");
            var directPost = await asViewer.EvaluateAsync<int>("""
                async (path) => {
                  const header = document.querySelector('meta[name="csrf-header"]').content;
                  const token = document.querySelector('meta[name="csrf-token"]').content;
                  const response = await fetch(path, { method: 'POST', headers: { [header]: token } });
                  return response.status;
                }
                """, $"/hangfire/jobs/actions/requeue/{failedJob}");
            Assert.Equal(401, directPost);
            Assert.Equal("Failed", CurrentState(failedJob));

            var asOperator = await SignInAsync(browser, operatorUser.Token);
            await OpenAsync(asOperator, Url($"/hangfire/jobs/details/{failedJob}"));
            var enqueuedBefore = EnqueuedCount(failedJob);
            // The dashboard's script reloads the page itself once the action's POST succeeds: wait for that load.
            var reloaded = new TaskCompletionSource();
            asOperator.Load += (_, _) => reloaded.TrySetResult();
            await asOperator.GetByRole(AriaRole.Button, new() { Name = "Requeue" }).ClickAsync();
            await WaitUntilAsync(() => EnqueuedCount(failedJob) > enqueuedBefore);
            await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await ShotAsync(asOperator, "operator-requeued-job");

            var asOutsider = await browser.NewPageAsync();
            await asOutsider.GotoAsync(Url("/hangfire"));
            Assert.StartsWith(Url("/hangfire/sign-in"), asOutsider.Url);
            await asOutsider.FillAsync("#token", outsider.Token);
            var refused = await asOutsider.RunAndWaitForResponseAsync(
                () => asOutsider.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(), r => r.Url.EndsWith("/hangfire/sign-in", StringComparison.Ordinal));
            Assert.Equal(403, refused.Status);
            Assert.Contains("not support staff", await asOutsider.Locator(".error").InnerTextAsync());
            await ShotAsync(asOutsider, "outsider-refused");
        }
        finally
        {
            hang.Release();
        }
    }

    private string Url(string path) => new Uri(api.Address, path).ToString();

    private async Task<IPage> SignInAsync(IBrowser browser, string token)
    {
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(Url("/hangfire"));
        Assert.StartsWith(Url("/hangfire/sign-in"), page.Url);
        await page.FillAsync("#token", token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(Url("/hangfire"));
        return page;
    }

    /// <summary>A job the real job server runs and that fails (no retries here).</summary>
    private async Task<string> FailedJobAsync(string why)
    {
        var jobId = api.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => FailingJob.Run(why));
        await WaitUntilAsync(() => CurrentState(jobId) == "Failed");
        return jobId;
    }

    private string CurrentState(string jobId) => DashboardSession.StateOf(api, jobId);

    private int EnqueuedCount(string jobId) =>
        api.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId).History.Count(h => h.StateName == "Enqueued");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>
    /// Opens a dashboard page and stops its 5-second reload, so a slow step (a screenshot on a loaded
    /// machine) never races the page reloading itself.
    /// </summary>
    private async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.EvaluateAsync("() => { if (window.hmReload) { clearTimeout(window.hmReload); } }");
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "dashboard");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Hypermedia.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? AppContext.BaseDirectory;
    }
}
