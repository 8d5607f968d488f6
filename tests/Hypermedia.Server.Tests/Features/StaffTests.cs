using System.Net;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Cli;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

/// <summary>Staff levels: given and taken by staff operators through /staff, or on the command line.</summary>
public sealed class StaffTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<StaffLevel?> StoredLevelAsync(TestUser user) =>
        await api.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.StaffLevel).SingleAsync());

    /// <summary>Leaves <paramref name="keep"/> as the only staff operators of this class's database.</summary>
    private async Task OnlyOperatorsAsync(params TestUser[] keep)
    {
        var ids = keep.Select(u => u.Id).ToArray();
        await api.WithDbAsync(db => db.Users.Where(u => u.StaffLevel == StaffLevel.Operator && !ids.Contains(u.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.StaffLevel, (StaffLevel?)null)));
    }

    [Fact]
    public async Task An_operator_grants_a_level_then_changes_it_and_the_user_shows_it()
    {
        var account = await api.CreateAccountAsync();
        var operatorUser = await api.CreateUserAsync(Roles.User, StaffLevel.Operator, account);
        var user = await api.CreateUserAsync(Roles.User, account);
        var client = api.ClientFor(operatorUser);

        var granted = await (await client.PutJsonAsync($"/staff/{user.Slug}", new { level = "viewer" })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("StaffMember", (string?)granted["@type"]);
        Assert.Equal($"/staff/{user.Slug}", (string?)granted["id"]);
        Assert.Equal(user.Iri, (string?)granted["user"]);
        Assert.Equal(user.Email, (string?)granted["email"]);
        Assert.Equal("viewer", (string?)granted["level"]);
        Assert.Equal(StaffLevel.Viewer, await StoredLevelAsync(user));

        var changed = await (await client.PutJsonAsync($"/staff/{user.Slug}", new { level = "operator" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("operator", (string?)changed["level"]);
        var asUser = await (await client.GetAsync(user.Iri)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("operator", (string?)asUser["staffLevel"]);
        Assert.True((bool)asUser["staff"]!);

        var listed = await (await client.GetAsync("/staff")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(listed["members"]!.AsArray(), m => (string?)m!["id"] == $"/staff/{user.Slug}" && (string?)m["level"] == "operator");
        var one = await (await client.GetAsync($"/staff/{user.Slug}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("operator", (string?)one["level"]);
    }

    [Fact]
    public async Task The_entry_point_links_the_staff_list()
    {
        var account = await api.CreateAccountAsync();
        var operatorUser = await api.CreateUserAsync(Roles.User, StaffLevel.Operator, account);

        var root = await (await api.ClientFor(operatorUser).GetAsync("/")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("/staff", (string?)root["staff"]);
    }

    [Fact]
    public async Task Revoking_takes_the_level_and_then_the_staff_member_is_gone()
    {
        var account = await api.CreateAccountAsync();
        var operatorUser = await api.CreateUserAsync(Roles.User, StaffLevel.Operator, account);
        var viewer = await api.CreateUserAsync(Roles.User, StaffLevel.Viewer, account);
        var client = api.ClientFor(operatorUser);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/staff/{viewer.Slug}")).StatusCode);

        Assert.Null(await StoredLevelAsync(viewer));
        await (await client.GetAsync($"/staff/{viewer.Slug}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/staff/{viewer.Slug}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("viewer")]
    public async Task Only_operators_read_or_change_staff(string? callerLevel)
    {
        var account = await api.CreateAccountAsync();
        var caller = await api.CreateUserAsync(Roles.Admin, StaffLevels.Parse(callerLevel), account);
        var target = await api.CreateUserAsync(Roles.User, account);
        var client = api.ClientFor(caller);

        await (await client.GetAsync("/staff")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.GetAsync($"/staff/{caller.Slug}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PutJsonAsync($"/staff/{target.Slug}", new { level = "operator" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PutJsonAsync($"/staff/{caller.Slug}", new { level = "operator" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"/staff/{caller.Slug}")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Null(await StoredLevelAsync(target));
        Assert.Equal(StaffLevels.Parse(callerLevel), await StoredLevelAsync(caller));
    }

    [Fact]
    public async Task Without_a_token_staff_routes_are_401()
    {
        await (await api.CreateClient().GetAsync("/staff")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("{}", "is required")]
    [InlineData("""{"level":"admin"}""", "must be one of: viewer, operator")]
    [InlineData("""{"level":""}""", "must be one of: viewer, operator")]
    public async Task A_missing_or_unknown_level_is_422_naming_the_field(string body, string rule)
    {
        var account = await api.CreateAccountAsync();
        var operatorUser = await api.CreateUserAsync(Roles.User, StaffLevel.Operator, account);
        var user = await api.CreateUserAsync(Roles.User, account);

        var problem = await (await api.ClientFor(operatorUser).SendRawAsync(HttpMethod.Put, $"/staff/{user.Slug}", body))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(rule, (string?)problem["errors"]!["level"]![0]);
        Assert.Null(await StoredLevelAsync(user));
    }

    [Fact]
    public async Task An_unknown_or_discarded_user_is_404()
    {
        var account = await api.CreateAccountAsync();
        var operatorUser = await api.CreateUserAsync(Roles.User, StaffLevel.Operator, account);
        var discarded = await api.CreateUserAsync(Roles.User, account);
        await api.WithDbAsync(db => db.Users.Where(u => u.Id == discarded.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DiscardedAt, DateTimeOffset.UtcNow)));
        var client = api.ClientFor(operatorUser);

        await (await client.PutJsonAsync("/staff/NoSuchUser", new { level = "viewer" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.PutJsonAsync($"/staff/{discarded.Slug}", new { level = "viewer" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Null(await StoredLevelAsync(discarded));
    }

    [Fact]
    public async Task The_last_operator_cannot_be_revoked_or_demoted_through_the_api()
    {
        var account = await api.CreateAccountAsync();
        var last = await api.CreateUserAsync(Roles.User, StaffLevel.Operator, account);
        await OnlyOperatorsAsync(last);
        var client = api.ClientFor(last);

        await (await client.DeleteAsync($"/staff/{last.Slug}")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await client.PutJsonAsync($"/staff/{last.Slug}", new { level = "viewer" })).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(StaffLevel.Operator, await StoredLevelAsync(last));
    }

    [Fact]
    public async Task Two_operators_revoking_each_other_at_once_leave_exactly_one()
    {
        var account = await api.CreateAccountAsync();
        var first = await api.CreateUserAsync(Roles.User, StaffLevel.Operator, account);
        var second = await api.CreateUserAsync(Roles.User, StaffLevel.Operator, account);
        await OnlyOperatorsAsync(first, second);

        var responses = await Task.WhenAll(
            api.ClientFor(first).DeleteAsync($"/staff/{second.Slug}"),
            api.ClientFor(second).DeleteAsync($"/staff/{first.Slug}"));

        // The loser is refused at the lock (409) or, when the winner committed first, as no longer an operator (403).
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NoContent);
        Assert.Single(responses, r => r.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Forbidden);
        var levels = new[] { await StoredLevelAsync(first), await StoredLevelAsync(second) };
        Assert.Single(levels, l => l == StaffLevel.Operator);
        Assert.Single(levels, l => l is null);
    }

    [Fact]
    public async Task Staff_powers_in_the_api_are_an_operators_not_a_viewers()
    {
        var account = await api.CreateAccountAsync();
        var viewer = await api.CreateUserAsync(Roles.User, StaffLevel.Viewer, account);
        var operatorUser = await api.CreateUserAsync(Roles.User, StaffLevel.Operator, account);
        object NewAccount() => new { slug = "staff-" + Guid.NewGuid().ToString("N")[..8], name = "Staff Co", phoneNumbers = new[] { "+1720" + Random.Shared.Next(2_000_000, 9_999_999) } };

        await (await api.ClientFor(viewer).PostJsonAsync("/accounts", NewAccount())).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await api.ClientFor(operatorUser).PostJsonAsync("/accounts", NewAccount())).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_command_line_grants_and_revokes_even_the_last_operator()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);

        var (exit, output, _) = await RunAsync("staff", "grant", "--email", user.Email.ToUpperInvariant(), "--level", "operator");
        Assert.Equal(0, exit);
        Assert.Equal($"{user.Email} operator", output.Trim());
        Assert.Equal(StaffLevel.Operator, await StoredLevelAsync(user));

        await OnlyOperatorsAsync(user);
        (exit, output, _) = await RunAsync("staff", "revoke", "--email", user.Email);
        Assert.Equal(0, exit);
        Assert.Equal($"{user.Email} none", output.Trim());
        Assert.Null(await StoredLevelAsync(user));
    }

    [Fact]
    public async Task The_command_line_refuses_an_unknown_level_or_email()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);

        Assert.Equal(2, (await RunAsync("staff", "grant", "--email", user.Email, "--level", "boss")).Exit);
        var (exit, _, error) = await RunAsync("staff", "grant", "--email", "nobody@nowhere.example", "--level", "viewer");
        Assert.Equal(1, exit);
        Assert.Contains("nobody@nowhere.example", error);
        Assert.Null(await StoredLevelAsync(user));
    }

    private async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(api.Services, args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
