using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>A job that fails, for dashboard tests that need a failed job with an exception.</summary>
public static class FailingJob
{
    public static void Run(string why) => throw new InvalidOperationException(why);
}

/// <summary>A browser-like client of the jobs dashboard: cookies kept, redirects not followed.</summary>
public static partial class DashboardSession
{
    public static HttpClient Browser(ApiFactory api, bool https = false) => api.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri(https ? "https://localhost" : "http://localhost"),
    });

    /// <summary>Opens the sign-in page and submits <paramref name="token"/> with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string token, string? returnUrl = null)
    {
        var form = await browser.GetStringAsync("/hangfire/sign-in");
        return await browser.PostAsync("/hangfire/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__antiforgery"] = FormToken(form),
            ["token"] = token,
            ["returnUrl"] = returnUrl ?? "/hangfire",
        }));
    }

    public static async Task<HttpClient> SignedInAsync(ApiFactory api, string token)
    {
        var browser = Browser(api);
        var response = await SignInAsync(browser, token);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return browser;
    }

    public static string FormToken(string html) => FormField().Match(html) is { Success: true } m
        ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new Xunit.Sdk.XunitException("The page has no antiforgery field.");

    /// <summary>A dashboard action as the dashboard's own script posts it: with the page's antiforgery header.</summary>
    public static async Task<HttpResponseMessage> PostActionAsync(HttpClient browser, string pagePath, string actionPath, bool withAntiforgery = true)
    {
        var page = await browser.GetStringAsync(pagePath);
        var request = new HttpRequestMessage(HttpMethod.Post, actionPath) { Content = new FormUrlEncodedContent([]) };
        if (withAntiforgery)
        {
            request.Headers.Add(Meta(page, "csrf-header"), Meta(page, "csrf-token"));
        }

        return await browser.SendAsync(request);
    }

    private static string Meta(string html, string name) =>
        Regex.Match(html, $"<meta name=\"{name}\" content=\"([^\"]+)\"") is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new Xunit.Sdk.XunitException($"The page has no {name} meta tag.");

    /// <summary>A job created straight in the failed state, with the exception a run would have left.</summary>
    public static string CreateFailedJob(ApiFactory api, string why) =>
        api.Services.GetRequiredService<IBackgroundJobClient>().Create(
            Job.FromExpression(() => FailingJob.Run(why)), new FailedState(new InvalidOperationException(why)));

    public static string StateOf(ApiFactory api, string jobId) =>
        api.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId).History[0].StateName;

    [GeneratedRegex("name=\"__antiforgery\" value=\"([^\"]+)\"")]
    private static partial Regex FormField();
}
