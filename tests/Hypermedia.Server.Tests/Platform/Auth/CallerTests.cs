using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Platform.Auth;

/// <summary>
/// Outside a request (a background job), a scope acts as the user who started the work and gets exactly
/// that user's access: the same AccountAccess and UserAuthority rules as their requests.
/// </summary>
public sealed class CallerTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_job_acting_as_a_user_reaches_that_users_accounts_only()
    {
        var mine = await api.CreateAccountAsync();
        var other = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, mine);

        await api.WithServicesAsync(async services =>
        {
            await services.GetRequiredService<Caller>().ActAsAsync(user.Id);
            var access = services.GetRequiredService<AccountAccess>();

            var member = await access.RequireMemberAsync(mine.Slug);
            var refused = await Assert.ThrowsAsync<ApiException>(() => access.RequireMemberAsync(other.Slug));

            Assert.Equal(mine.Id, member.Account.Id);
            Assert.Equal(Roles.User, member.Role);
            Assert.Equal(404, refused.Status);
            Assert.Equal(user.Slug, services.GetRequiredService<Caller>().UserSlug);
        });
    }

    [Fact]
    public async Task A_job_acting_as_a_user_sees_users_as_that_user_does()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        var colleague = await api.CreateUserAsync(Roles.User, account);

        await api.WithServicesAsync(async services =>
        {
            await services.GetRequiredService<Caller>().ActAsAsync(user.Id);
            var authority = services.GetRequiredService<UserAuthority>();

            var self = await authority.RequireVisibleAsync(user.Slug, CancellationToken.None);
            var hidden = await Assert.ThrowsAsync<ApiException>(() => authority.RequireVisibleAsync(colleague.Slug, CancellationToken.None));

            Assert.True(self.IsSelf);
            Assert.False(authority.CallerIsStaff);
            Assert.Equal(404, hidden.Status);
        });
    }

    [Fact]
    public async Task A_discarded_user_acts_as_nobody()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        await api.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DiscardedAt, DateTimeOffset.UtcNow)));

        await api.WithServicesAsync(async services =>
        {
            var refused = await Assert.ThrowsAsync<ApiException>(() => services.GetRequiredService<Caller>().ActAsAsync(user.Id));

            Assert.Equal(404, refused.Status);
            Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<Caller>().Identity);
        });
    }
}
