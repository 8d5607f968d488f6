using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hypermedia.Server.Tests.Platform.Auth;

/// <summary>
/// Two server processes on one database, as in a deployment with several servers. The in-memory app
/// migrates the database and creates the accounts and users; every request under test goes to A or B.
/// </summary>
public sealed class TwoServerProcesses : IAsyncLifetime
{
    public ApiFactory Api { get; } = new();

    public ServerProcess A { get; private set; } = null!;

    public ServerProcess B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        var a = ServerProcess.StartAsync("server A", Api.ConnectionString);
        var b = ServerProcess.StartAsync("server B", Api.ConnectionString);
        try
        {
            await Task.WhenAll(a, b);
        }
        finally
        {
            // If one failed to start, the other must not be left running.
            A = a.IsCompletedSuccessfully ? a.Result : null!;
            B = b.IsCompletedSuccessfully ? b.Result : null!;
        }
    }

    public async Task DisposeAsync()
    {
        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (B is not null)
        {
            await B.DisposeAsync();
        }

        await Api.DisposeAsync();
    }
}

/// <summary>Revoking a token, discarding a user or removing a membership on one server holds on every other at once.</summary>
public sealed class CrossProcessRevocationTests(TwoServerProcesses servers, ITestOutputHelper output)
    : IClassFixture<TwoServerProcesses>, IAsyncLifetime
{
    private readonly ApiFactory api = servers.Api;
    private int aLinesBefore;
    private int bLinesBefore;

    public Task InitializeAsync()
    {
        (aLinesBefore, bLinesBefore) = (servers.A.Output.Count, servers.B.Output.Count);
        return Task.CompletedTask;
    }

    /// <summary>The servers' output during this test, shown by the runner when the test fails.</summary>
    public Task DisposeAsync()
    {
        foreach (var (server, before) in new[] { (servers.A, aLinesBefore), (servers.B, bLinesBefore) })
        {
            foreach (var line in server.Output.Skip(before))
            {
                output.WriteLine($"[{server.Name}] {line}");
            }
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_token_revoked_on_one_server_is_refused_by_the_next_request_on_another()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        var created = await (await servers.A.ClientWithToken(user.Token).PostJsonAsync(user.Iri + "/api_tokens", new { description = "second" }))
            .ExpectAsync(HttpStatusCode.Created);
        var token = (string)created["token"]!;
        await (await servers.A.ClientWithToken(token).GetAsync("/")).ExpectAsync(HttpStatusCode.OK);
        await (await servers.B.ClientWithToken(token).GetAsync("/")).ExpectAsync(HttpStatusCode.OK);

        var revoked = await servers.A.ClientWithToken(user.Token).DeleteAsync((string)created["id"]!);
        var next = await servers.B.ClientWithToken(token).GetAsync("/");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await next.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_user_discarded_on_one_server_is_refused_by_the_next_request_on_another()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var user = await api.CreateUserAsync(Roles.User, account);
        await (await servers.B.ClientWithToken(user.Token).GetAsync("/")).ExpectAsync(HttpStatusCode.OK);

        var discarded = await servers.A.ClientWithToken(admin.Token).PutJsonAsync(user.Iri, new { discarded = true });
        var next = await servers.B.ClientWithToken(user.Token).GetAsync("/");

        Assert.True((bool)(await discarded.ExpectAsync(HttpStatusCode.OK))["discarded"]!);
        await next.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_membership_removed_on_one_server_hides_the_account_on_another_at_the_next_request()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var member = await api.CreateUserAsync(Roles.User, account);
        var accountIri = "/accounts/" + account.Slug;
        await (await servers.B.ClientWithToken(member.Token).GetAsync(accountIri)).ExpectAsync(HttpStatusCode.OK);
        var memberships = await (await servers.A.ClientWithToken(admin.Token).GetAsync(member.Iri + "/memberships")).ExpectAsync(HttpStatusCode.OK);

        var removed = await servers.A.ClientWithToken(admin.Token).DeleteAsync(memberships.MemberIds().Single());
        var next = await servers.B.ClientWithToken(member.Token).GetAsync(accountIri);

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await next.ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
