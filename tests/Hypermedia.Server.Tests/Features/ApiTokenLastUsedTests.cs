using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

/// <summary>A token's last use is kept to the minute: written on first use, then again once a minute has passed.</summary>
public sealed class ApiTokenLastUsedTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    [Fact]
    public async Task Last_used_is_written_again_once_a_minute_has_passed()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        var client = api.ClientFor(user);
        Task<DateTimeOffset?> LastUsedAsync() =>
            api.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == user.Id).Select(t => t.LastUsedAt).SingleAsync());
        await (await client.GetAsync("/")).ExpectAsync(HttpStatusCode.OK);
        var first = await LastUsedAsync();

        api.Clock.Advance(TimeSpan.FromSeconds(61));
        var before = api.Clock.GetUtcNow();
        await (await client.GetAsync("/")).ExpectAsync(HttpStatusCode.OK);
        var after = api.Clock.GetUtcNow();
        var second = await LastUsedAsync();

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.InRange(second.Value, before, after);
    }
}
