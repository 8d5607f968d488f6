using System.Net;
using Hangfire;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Jobs;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Hypermedia.Server.Tests.Infrastructure.DashboardSession;

namespace Hypermedia.Server.Tests.Platform.Jobs;

/// <summary>The app with no job server and no retries: jobs stay in the state a test puts them in.</summary>
public sealed class DashboardApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Jobs:RunServer", "false");
        builder.UseSetting("Jobs:RetryAttempts", "0");
    }
}

/// <summary>Who reaches the jobs dashboard, how a browser signs in and out, and what a viewer may not do.</summary>
public sealed class DashboardAccessTests(DashboardApiFactory api) : IClassFixture<DashboardApiFactory>
{
    private async Task<TestUser> StaffAsync(StaffLevel? level) => await api.CreateUserAsync(Roles.User, level, await api.CreateAccountAsync());

    [Fact]
    public async Task A_browser_without_a_session_is_sent_to_the_sign_in_page_and_back()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire/jobs/failed");
        request.Headers.Accept.ParseAdd("text/html");

        var response = await Browser(api).SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/hangfire/sign-in?returnUrl=%2Fhangfire%2Fjobs%2Ffailed", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_client_without_credentials_gets_a_401_problem()
    {
        var response = await api.CreateClient().GetAsync("/hangfire/jobs/failed");

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_user_who_is_not_staff_is_refused_with_a_token_and_at_sign_in()
    {
        var user = await StaffAsync(null);

        await (await api.ClientFor(user).GetAsync("/hangfire")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var browser = Browser(api);
        var signIn = await SignInAsync(browser, user.Token);
        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Contains("not support staff", await signIn.Content.ReadAsStringAsync());
        Assert.False(signIn.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("operator")]
    public async Task Staff_reach_the_dashboard_with_a_bearer_token_and_it_carries_the_product_name(string level)
    {
        var staff = await StaffAsync(StaffLevels.Parse(level));

        var response = await api.ClientFor(staff).GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Overview – Hypermedia &#183; Jobs</title>", html);
        Assert.Contains("href=\"/api_documentation\"", html);
        Assert.Contains("Bulk sends", html);
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task Signing_in_sets_a_strict_http_only_cookie_scoped_to_the_dashboard_and_the_session_works()
    {
        var viewer = await StaffAsync(StaffLevel.Viewer);
        var browser = Browser(api);

        var signIn = await SignInAsync(browser, viewer.Token, returnUrl: "/hangfire/jobs/failed");

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/hangfire/jobs/failed", signIn.Headers.Location!.OriginalString);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hypermedia.staff=", StringComparison.Ordinal));
        Assert.Contains("path=/hangfire", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.Contains("httponly", cookie);
        Assert.DoesNotContain("secure", cookie);
        Assert.DoesNotContain(viewer.Token, cookie);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire/jobs/failed")).StatusCode);
    }

    [Fact]
    public async Task Over_https_the_cookie_is_secure()
    {
        var viewer = await StaffAsync(StaffLevel.Viewer);

        var signIn = await SignInAsync(Browser(api, https: true), viewer.Token);

        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hypermedia.staff=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie);
    }

    [Theory]
    [InlineData("hm_NoSuchToken_0000000000000000000000000000000000000000000")]
    [InlineData("not a token")]
    [InlineData("")]
    public async Task A_wrong_token_is_refused_on_the_page_without_a_cookie(string token)
    {
        var browser = Browser(api);

        var signIn = await SignInAsync(browser, token);

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Contains("unknown, revoked", await signIn.Content.ReadAsStringAsync());
        Assert.False(signIn.Headers.Contains("Set-Cookie") && signIn.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("hypermedia.staff=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_sign_in_posted_without_the_forms_antiforgery_token_is_refused()
    {
        var viewer = await StaffAsync(StaffLevel.Viewer);
        var browser = Browser(api);

        var signIn = await browser.PostAsync("/hangfire/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = viewer.Token }));

        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.False(signIn.Headers.Contains("Set-Cookie") && signIn.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("hypermedia.staff=", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/hangfire")]
    [InlineData("/hangfire//evil.example")]
    [InlineData("/contacts")]
    public async Task After_sign_in_the_browser_only_goes_back_into_the_dashboard(string returnUrl)
    {
        var viewer = await StaffAsync(StaffLevel.Viewer);

        var signIn = await SignInAsync(Browser(api), viewer.Token, returnUrl);

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/hangfire", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Signing_out_clears_the_cookie_and_ends_the_browsers_session()
    {
        var viewer = await StaffAsync(StaffLevel.Viewer);
        var browser = await SignedInAsync(api, viewer.Token);
        var page = await browser.GetStringAsync("/hangfire/sign-out");

        var signOut = await browser.PostAsync("/hangfire/sign-out",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__antiforgery"] = FormToken(page) }));

        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        Assert.Equal("/hangfire/sign-in", signOut.Headers.Location!.OriginalString);
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hypermedia.staff=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970"));
        await (await browser.GetAsync("/hangfire")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Losing_the_staff_level_or_the_token_ends_a_session_on_its_next_request()
    {
        var demoted = await StaffAsync(StaffLevel.Viewer);
        var revoked = await StaffAsync(StaffLevel.Viewer);
        var demotedBrowser = await SignedInAsync(api, demoted.Token);
        var revokedBrowser = await SignedInAsync(api, revoked.Token);

        await api.WithDbAsync(db => db.Users.Where(u => u.Id == demoted.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.StaffLevel, (StaffLevel?)null)));
        await api.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == revoked.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTimeOffset.UtcNow)));

        await (await demotedBrowser.GetAsync("/hangfire")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await revokedBrowser.GetAsync("/hangfire")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_viewer_sees_a_failed_jobs_exception_but_no_requeue_and_cannot_post_it()
    {
        var viewer = await StaffAsync(StaffLevel.Viewer);
        var jobId = CreateFailedJob(api, "carrier exploded for the viewer");
        var browser = await SignedInAsync(api, viewer.Token);

        var page = await browser.GetStringAsync($"/hangfire/jobs/details/{jobId}");
        Assert.Contains("carrier exploded for the viewer", page);
        Assert.Contains("InvalidOperationException", page);
        Assert.DoesNotContain("/jobs/actions/requeue/", page);

        var requeue = await PostActionAsync(browser, $"/hangfire/jobs/details/{jobId}", $"/hangfire/jobs/actions/requeue/{jobId}");

        Assert.Equal(HttpStatusCode.Unauthorized, requeue.StatusCode);
        Assert.Equal("Failed", StateOf(api, jobId));
    }

    [Fact]
    public async Task An_operator_requeues_a_failed_job_from_its_page()
    {
        var operatorUser = await StaffAsync(StaffLevel.Operator);
        var jobId = CreateFailedJob(api, "carrier exploded for the operator");
        var browser = await SignedInAsync(api, operatorUser.Token);

        var page = await browser.GetStringAsync($"/hangfire/jobs/details/{jobId}");
        Assert.Contains($"data-ajax=\"/hangfire/jobs/actions/requeue/{jobId}\"", page);
        var requeue = await PostActionAsync(browser, $"/hangfire/jobs/details/{jobId}", $"/hangfire/jobs/actions/requeue/{jobId}");

        Assert.Equal(HttpStatusCode.NoContent, requeue.StatusCode);
        Assert.Equal("Enqueued", StateOf(api, jobId));
    }

    [Fact]
    public async Task A_cross_site_post_of_an_action_is_refused_even_with_an_operators_session()
    {
        var operatorUser = await StaffAsync(StaffLevel.Operator);
        var jobId = CreateFailedJob(api, "carrier exploded cross-site");
        var browser = await SignedInAsync(api, operatorUser.Token);

        var requeue = await PostActionAsync(browser, "/hangfire", $"/hangfire/jobs/actions/requeue/{jobId}", withAntiforgery: false);

        Assert.Equal(HttpStatusCode.Forbidden, requeue.StatusCode);
        Assert.Equal("Failed", StateOf(api, jobId));
    }

    [Fact]
    public async Task A_jobs_progress_parameter_shows_on_its_page()
    {
        var viewer = await StaffAsync(StaffLevel.Viewer);
        var jobId = CreateFailedJob(api, "progress holder");
        using (var connection = api.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            connection.SetJobParameter(jobId, JobProgress.Parameter,
                Hangfire.Common.SerializationHelper.Serialize(new JobProgress(4210, 10000, "recipients", "/bulk_sends/AbC123")));
        }

        var page = await (await SignedInAsync(api, viewer.Token)).GetStringAsync($"/hangfire/jobs/details/{jobId}");

        Assert.Contains("4,210 / 10,000 recipients (42%)", page);
        Assert.Contains("<a href=\"/bulk_sends/AbC123\">", page);
        Assert.Contains("style=\"width: 42%\"", page);
    }
}
