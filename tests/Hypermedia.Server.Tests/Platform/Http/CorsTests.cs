using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Hypermedia.Server.Tests.Platform.Http;

public sealed class BrowserClientApiFactory : ApiFactory
{
    public const string Origin = "https://app.example";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Cors:AllowedOrigins:0", Origin);
    }
}

public sealed class CorsTests(BrowserClientApiFactory api) : IClassFixture<BrowserClientApiFactory>
{
    [Fact]
    public async Task A_configured_origin_can_read_the_documentation_link_and_limits()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        client.DefaultRequestHeaders.Add("Origin", BrowserClientApiFactory.Origin);

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BrowserClientApiFactory.Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var exposed = string.Join(',', response.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Contains("Link", exposed);
        Assert.Contains("X-RateLimit-Remaining", exposed);
    }

    [Fact]
    public async Task A_preflight_is_answered_without_a_token()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/demo/contacts");
        request.Headers.Add("Origin", BrowserClientApiFactory.Origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        var response = await api.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact]
    public async Task Other_origins_get_no_cors_headers()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/contexts/Account.jsonld");
        request.Headers.Add("Origin", "https://evil.example");

        var response = await api.CreateClient().SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
