using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Platform.Http;

public sealed class RateLimitedApiFactory : ApiFactory
{
    protected override int RateLimit => 3;
}

public sealed class RateLimitTests(RateLimitedApiFactory api) : IClassFixture<RateLimitedApiFactory>
{
    [Fact]
    public async Task Every_response_carries_the_limit_and_429_follows_with_retry_after()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));

        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var ok = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("3", ok.Headers.GetValues("X-RateLimit-Limit").Single());
            remaining.Add(ok.Headers.GetValues("X-RateLimit-Remaining").Single());
            var reset = long.Parse(ok.Headers.GetValues("X-RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(reset - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0, 3600);
        }

        var limited = await client.GetAsync("/");

        Assert.Equal(["2", "1", "0"], remaining);
        await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        Assert.Equal("0", limited.Headers.GetValues("X-RateLimit-Remaining").Single());
    }

    [Fact]
    public async Task Carrier_webhooks_are_not_limited_per_address()
    {
        var account = await api.CreateAccountAsync();
        var carrier = api.CreateClient();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/carriers/simulator/inbound")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { from = "+13032234567", to = account.PhoneNumbers[0], body = $"text {i}" }),
            };
            request.Headers.Add(Hypermedia.Server.Features.Carriers.Simulator.SimulatorArea.SecretHeader, ApiFactory.SimulatorSecret);
            responses.Add(await carrier.SendAsync(request));
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
    }

    [Fact]
    public async Task A_users_tokens_share_one_window()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        var first = api.ClientFor(user);
        var created = await (await first.PostJsonAsync($"{user.Iri}/api_tokens", new { description = "second" })).ExpectAsync(HttpStatusCode.Created);
        var second = api.ClientFor(user with { Token = (string)created["token"]! });

        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/")).StatusCode);
        var last = await second.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal("0", last.Headers.GetValues("X-RateLimit-Remaining").Single());
        await (await second.GetAsync("/")).ExpectProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Each_user_has_their_own_window()
    {
        var account = await api.CreateAccountAsync();
        var first = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        var second = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/")).StatusCode);
        }

        var firstLimited = await first.GetAsync("/");
        var secondsFirst = await second.GetAsync("/");

        await firstLimited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, secondsFirst.StatusCode);
        Assert.Equal("2", secondsFirst.Headers.GetValues("X-RateLimit-Remaining").Single());
    }
}
