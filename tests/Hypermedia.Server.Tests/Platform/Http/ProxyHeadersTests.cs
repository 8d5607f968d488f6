using System.Net;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Hypermedia.Server.Tests.Platform.Http;

/// <summary>The app on Kestrel behind a configured proxy on loopback (the test client plays it).</summary>
public sealed class ProxiedApiFactory : KestrelApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", "127.0.0.1");
    }
}

/// <summary>
/// A TLS-ending proxy's X-Forwarded-Proto makes the request HTTPS (the dashboard cookie is Secure) only
/// when the proxy is configured; otherwise a client sending the header changes nothing.
/// </summary>
public sealed class ProxyHeadersTests(ProxiedApiFactory proxied, KestrelApiFactory direct) : IClassFixture<ProxiedApiFactory>, IClassFixture<KestrelApiFactory>
{
    /// <summary>
    /// Signs in through the "proxy" (this client, adding X-Forwarded-Proto: https). Cookies are carried by
    /// hand: a client-side cookie jar would not send a Secure cookie back over plain HTTP, but the proxy does.
    /// </summary>
    private static async Task<string> SignInCookieAsync(KestrelApiFactory api)
    {
        var viewer = await api.CreateUserAsync(Roles.User, StaffLevel.Viewer);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = api.Address };
        browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var page = await browser.GetAsync("/hangfire/sign-in");
        var antiforgery = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/hangfire/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["token"] = viewer.Token,
                ["__antiforgery"] = DashboardSession.FormToken(await page.Content.ReadAsStringAsync()),
            }),
        };
        post.Headers.Add("Cookie", antiforgery);
        var signIn = await browser.SendAsync(post);
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        return Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hypermedia.staff=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Behind_a_configured_proxy_an_https_request_gets_a_secure_cookie() =>
        Assert.Contains("secure", await SignInCookieAsync(proxied));

    [Fact]
    public async Task Without_a_configured_proxy_the_header_is_ignored() =>
        Assert.DoesNotContain("secure", await SignInCookieAsync(direct));
}
