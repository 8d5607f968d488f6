using System.Net;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

/// <summary>
/// Who may change, discard, demote and remove whom (docs/api.md, "Who may change whom"), and the
/// last-admin rule, including under parallel requests.
/// </summary>
public sealed class UserAuthorizationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    /// <summary>
    /// The target is an admin of account A and a plain user of account B. Callers: an admin of A
    /// only, an admin of A and B, staff (in no account), the target themself, and a plain member of
    /// A and B.
    /// </summary>
    private sealed record Scene(Account A, Account B, TestUser Target, Dictionary<string, TestUser> Callers);

    private async Task<Scene> SceneAsync()
    {
        var a = await api.CreateAccountAsync();
        var b = await api.CreateAccountAsync();
        var target = await api.CreateUserAsync(Roles.Admin, a);
        await AddMembershipAsync(target, b, Roles.User);
        return new Scene(a, b, target, new()
        {
            ["adminOfOne"] = await api.CreateUserAsync(Roles.Admin, a),
            ["adminOfAll"] = await api.CreateUserAsync(Roles.Admin, a, b),
            ["staff"] = await api.CreateUserAsync(Roles.User, staff: true),
            ["self"] = target,
            ["plainMember"] = await api.CreateUserAsync(Roles.User, a, b),
        });
    }

    private Task AddMembershipAsync(TestUser user, Account account, string role) => api.WithDbAsync(async db =>
    {
        db.Memberships.Add(new Membership { Slug = Hypermedia.Server.Platform.Slugs.New(), UserId = user.Id, AccountId = account.Id, Role = role, CreatedAt = DateTimeOffset.UtcNow });
        return await db.SaveChangesAsync();
    });

    /// <summary>Everything about a user that a refused request must leave as it was.</summary>
    private Task<string> UserStateAsync(long userId) => api.WithDbAsync(async db =>
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
        var memberships = await db.Memberships.Where(m => m.UserId == userId).OrderBy(m => m.AccountId)
            .Select(m => $"{m.AccountId}:{m.Role}").ToListAsync();
        return $"{user.Name}|{user.Email}|{user.DiscardedAt}|{user.StaffLevel}|{string.Join(",", memberships)}";
    });

    private Task<string?> RoleAsync(TestUser user, Account account) =>
        api.WithDbAsync(db => db.Memberships.Where(m => m.UserId == user.Id && m.AccountId == account.Id).Select(m => m.Role).SingleOrDefaultAsync());

    private static async Task<string> MembershipIriAsync(HttpClient client, TestUser user, Account account)
    {
        var body = await (await client.GetAsync(user.Iri + "/memberships")).ExpectAsync(HttpStatusCode.OK);
        return (string)body["members"]!.AsArray().Single(m => (string?)m!["account"]!["id"] == "/accounts/" + account.Slug)!["id"]!;
    }

    public static TheoryData<string, string, HttpStatusCode> Matrix => new()
    {
        { "adminOfOne", "rename", HttpStatusCode.Forbidden },
        { "adminOfAll", "rename", HttpStatusCode.OK },
        { "staff", "rename", HttpStatusCode.OK },
        { "self", "rename", HttpStatusCode.OK },
        { "plainMember", "rename", HttpStatusCode.NotFound },

        { "adminOfOne", "changeEmail", HttpStatusCode.Forbidden },
        { "adminOfAll", "changeEmail", HttpStatusCode.Forbidden },
        { "staff", "changeEmail", HttpStatusCode.OK },
        { "self", "changeEmail", HttpStatusCode.OK },
        { "plainMember", "changeEmail", HttpStatusCode.NotFound },

        { "adminOfOne", "discard", HttpStatusCode.Forbidden },
        { "adminOfAll", "discard", HttpStatusCode.OK },
        { "staff", "discard", HttpStatusCode.OK },
        { "self", "discard", HttpStatusCode.Forbidden },
        { "plainMember", "discard", HttpStatusCode.NotFound },

        { "adminOfOne", "demote", HttpStatusCode.OK },
        { "adminOfAll", "demote", HttpStatusCode.OK },
        { "staff", "demote", HttpStatusCode.OK },
        { "self", "demote", HttpStatusCode.OK },
        { "plainMember", "demote", HttpStatusCode.NotFound },

        { "adminOfOne", "removeMembership", HttpStatusCode.NoContent },
        { "adminOfAll", "removeMembership", HttpStatusCode.NoContent },
        { "staff", "removeMembership", HttpStatusCode.NoContent },
        { "self", "removeMembership", HttpStatusCode.NoContent },
        { "plainMember", "removeMembership", HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Who_may_change_whom(string caller, string action, HttpStatusCode expected)
    {
        var scene = await SceneAsync();
        var target = scene.Target;
        var client = api.ClientFor(scene.Callers[caller]);
        var before = await UserStateAsync(target.Id);
        var newEmail = $"new-{Guid.NewGuid():N}@example.com";

        // The plain member cannot see the target at all, so their IRI comes from someone who can.
        var membershipIri = action == "removeMembership" ? await MembershipIriAsync(api.ClientFor(target), target, scene.A) : null;
        var response = action switch
        {
            "rename" => await client.PutJsonAsync(target.Iri, new { name = "Renamed Person" }),
            "changeEmail" => await client.PutJsonAsync(target.Iri, new { email = newEmail }),
            "discard" => await client.PutJsonAsync(target.Iri, new { discarded = true }),
            "demote" => await client.PutJsonAsync(target.Iri, new { memberships = new[] { new { account = "/accounts/" + scene.A.Slug, role = Roles.User } } }),
            _ => await client.DeleteAsync(membershipIri),
        };

        if (expected is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            await response.ExpectProblemAsync(expected);
            Assert.Equal(before, await UserStateAsync(target.Id));
            return;
        }

        Assert.Equal(expected, response.StatusCode);
        var user = await api.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == target.Id));
        switch (action)
        {
            case "rename":
                Assert.Equal("Renamed Person", (string?)(await response.JsonAsync())["name"]);
                Assert.Equal("Renamed Person", user.Name);
                break;
            case "changeEmail":
                Assert.Equal(newEmail, (string?)(await response.JsonAsync())["email"]);
                Assert.Equal(newEmail, user.Email);
                break;
            case "discard":
                Assert.True((bool?)(await response.JsonAsync())["discarded"]);
                Assert.NotNull(user.DiscardedAt);
                break;
            case "demote":
                Assert.Equal(Roles.User, await RoleAsync(target, scene.A));
                break;
            default:
                Assert.Null(await RoleAsync(target, scene.A));
                Assert.Equal(Roles.User, await RoleAsync(target, scene.B));
                break;
        }
    }

    [Fact]
    public async Task An_admin_of_another_account_discards_renames_or_re_emails_a_shared_user_and_gets_403_with_nothing_changed()
    {
        var a = await api.CreateAccountAsync();
        var b = await api.CreateAccountAsync();
        var shared = await api.CreateUserAsync(Roles.User, a, b);
        var adminOfB = api.ClientFor(await api.CreateUserAsync(Roles.Admin, b));
        var before = await UserStateAsync(shared.Id);

        var discard = await (await adminOfB.PutJsonAsync(shared.Iri, new { discarded = true })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await adminOfB.PutJsonAsync(shared.Iri, new { name = "Locked Out" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await adminOfB.PutJsonAsync(shared.Iri, new { email = $"x-{Guid.NewGuid():N}@example.com" })).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("Only an admin of every account the user belongs to, or staff, may discard them.", (string?)discard["detail"]);
        Assert.Equal(before, await UserStateAsync(shared.Id));
        await (await api.ClientFor(shared).GetAsync("/")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sending_a_users_current_values_back_is_not_a_change_and_needs_no_control()
    {
        var a = await api.CreateAccountAsync();
        var b = await api.CreateAccountAsync();
        var shared = await api.CreateUserAsync(Roles.User, a, b);
        var adminOfA = api.ClientFor(await api.CreateUserAsync(Roles.Admin, a));
        var document = await (await adminOfA.GetAsync(shared.Iri)).ExpectAsync(HttpStatusCode.OK);

        await (await adminOfA.PutJsonAsync(shared.Iri, new { name = (string)document["name"]!, email = shared.Email.ToUpperInvariant(), discarded = false }))
            .ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Only_staff_change_or_discard_a_staff_user_even_for_an_admin_of_all_their_accounts()
    {
        var account = await api.CreateAccountAsync();
        var staffUser = await api.CreateUserAsync(Roles.Admin, staff: true, account);
        var admin = api.ClientFor(await api.CreateUserAsync(Roles.Admin, account));
        var otherStaff = api.ClientFor(await api.CreateUserAsync(Roles.User, staff: true));
        var before = await UserStateAsync(staffUser.Id);

        var rename = await (await admin.PutJsonAsync(staffUser.Iri, new { name = "Not Staff" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.PutJsonAsync(staffUser.Iri, new { discarded = true })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.PostAsync(staffUser.Iri + "/invitations", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("Only staff may change the name of a staff user.", (string?)rename["detail"]);
        Assert.Equal(before, await UserStateAsync(staffUser.Id));
        Assert.Equal(0, await api.WithDbAsync(db => db.Invitations.CountAsync(i => i.UserId == staffUser.Id)));
        await (await otherStaff.PutJsonAsync(staffUser.Iri, new { name = "Renamed By Staff" })).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_invitations_link_is_null_for_a_user_the_admin_does_not_control()
    {
        var a = await api.CreateAccountAsync();
        var shared = await api.CreateUserAsync(Roles.User, a, await api.CreateAccountAsync());
        var adminOfA = api.ClientFor(await api.CreateUserAsync(Roles.Admin, a));

        var body = await (await adminOfA.GetAsync(shared.Iri)).ExpectAsync(HttpStatusCode.OK);

        Assert.True(body.AsObject().ContainsKey("invitations"));
        Assert.Null(body["invitations"]);
    }

    [Fact]
    public async Task An_admin_cannot_change_a_role_or_remove_a_membership_in_an_account_they_do_not_administer()
    {
        var a = await api.CreateAccountAsync();
        var b = await api.CreateAccountAsync();
        var shared = await api.CreateUserAsync(Roles.Admin, a, b);
        var adminOfB = api.ClientFor(await api.CreateUserAsync(Roles.Admin, b));
        var memberOfA = await api.CreateUserAsync(Roles.User, a);
        await AddMembershipAsync(memberOfA, b, Roles.Admin);
        var membershipInA = await MembershipIriAsync(api.ClientFor(shared), shared, a);
        var before = await UserStateAsync(shared.Id);

        var demote = await (await adminOfB.PutJsonAsync(shared.Iri, new { memberships = new[] { new { account = "/accounts/" + a.Slug, role = Roles.User } } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await adminOfB.DeleteAsync(membershipInA)).ExpectProblemAsync(HttpStatusCode.NotFound);

        // A plain member of A who can see the user (as an admin of B) still may not touch A's memberships.
        await (await api.ClientFor(memberOfA).DeleteAsync(membershipInA)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.NotNull(demote["errors"]!["memberships[0].account"]);
        Assert.Equal(before, await UserStateAsync(shared.Id));
    }

    [Fact]
    public async Task The_last_admin_cannot_demote_themself()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        await api.CreateUserAsync(Roles.User, account);

        var problem = await (await api.ClientFor(admin).PutJsonAsync(admin.Iri, new { memberships = new[] { new { account = "/accounts/" + account.Slug, role = Roles.Support } } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(LastAdminRule.Message(account.Slug), (string?)problem["errors"]!["memberships[0].role"]![0]);
        Assert.Equal(Roles.Admin, await RoleAsync(admin, account));
    }

    [Fact]
    public async Task The_last_admin_cannot_be_removed_from_their_account()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var membership = await MembershipIriAsync(api.ClientFor(admin), admin, account);

        var problem = await (await api.ClientFor(admin).DeleteAsync(membership)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(LastAdminRule.Message(account.Slug), (string?)problem["errors"]!["membership"]![0]);
        Assert.Equal(Roles.Admin, await RoleAsync(admin, account));
    }

    [Fact]
    public async Task The_last_admin_cannot_be_discarded()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var staff = api.ClientFor(await api.CreateUserAsync(Roles.User, staff: true));
        var before = await UserStateAsync(admin.Id);

        var problem = await (await staff.PutJsonAsync(admin.Iri, new { discarded = true })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(LastAdminRule.Message(account.Slug), (string?)problem["errors"]!["discarded"]![0]);
        Assert.Equal(before, await UserStateAsync(admin.Id));
        await (await api.ClientFor(admin).GetAsync("/")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_discarded_admin_does_not_count_as_an_admin()
    {
        var account = await api.CreateAccountAsync();
        var active = await api.CreateUserAsync(Roles.Admin, account);
        var discarded = await api.CreateUserAsync(Roles.Admin, account);
        var staff = api.ClientFor(await api.CreateUserAsync(Roles.User, staff: true));
        await (await staff.PutJsonAsync(discarded.Iri, new { discarded = true })).ExpectAsync(HttpStatusCode.OK);

        await (await api.ClientFor(active).PutJsonAsync(active.Iri, new { memberships = new[] { new { account = "/accounts/" + account.Slug, role = Roles.User } } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(Roles.Admin, await RoleAsync(active, account));
    }

    [Fact]
    public async Task Two_admins_demoting_each_other_at_once_leave_exactly_one_admin()
    {
        var pairs = new List<(Account Account, TestUser First, TestUser Second)>();
        for (var i = 0; i < 5; i++)
        {
            var account = await api.CreateAccountAsync();
            pairs.Add((account, await api.CreateUserAsync(Roles.Admin, account), await api.CreateUserAsync(Roles.Admin, account)));
        }

        Task<HttpResponseMessage> Demote(TestUser caller, TestUser target, Account account) => api.ClientFor(caller)
            .PutJsonAsync(target.Iri, new { memberships = new[] { new { account = "/accounts/" + account.Slug, role = Roles.User } } });
        var responses = await Task.WhenAll(pairs.SelectMany(p => new[] { Demote(p.First, p.Second, p.Account), Demote(p.Second, p.First, p.Account) }));

        // The loser either waited for the winner's lock and found no other admin (422), or started
        // after the winner committed and no longer administers the account (404).
        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity, HttpStatusCode.NotFound }));
        Assert.Equal(pairs.Count, statuses.Count(s => s == HttpStatusCode.OK));
        foreach (var (account, first, second) in pairs)
        {
            Assert.Equal(1, await api.WithDbAsync(db => db.Memberships.CountAsync(m => m.AccountId == account.Id && m.Role == Roles.Admin)));
            Assert.Equal(2, await api.WithDbAsync(db => db.Memberships.CountAsync(m => m.AccountId == account.Id)));
        }
    }

    [Fact]
    public async Task A_ring_of_admins_demoting_the_next_in_parallel_never_empties_the_account()
    {
        var account = await api.CreateAccountAsync();
        var admins = new List<TestUser>();
        for (var i = 0; i < 6; i++)
        {
            admins.Add(await api.CreateUserAsync(Roles.Admin, account));
        }

        var responses = await Task.WhenAll(admins.Select((admin, i) => api.ClientFor(admin).PutJsonAsync(admins[(i + 1) % admins.Count].Iri,
            new { memberships = new[] { new { account = "/accounts/" + account.Slug, role = Roles.User } } })));

        var demoted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses, r => Assert.True((int)r.StatusCode < 500, $"{(int)r.StatusCode}"));
        var remaining = await api.WithDbAsync(db => db.Memberships.CountAsync(m => m.AccountId == account.Id && m.Role == Roles.Admin));
        Assert.True(remaining >= 1, "the account was left without an admin");
        Assert.Equal(admins.Count - demoted, remaining);
    }

    [Fact]
    public async Task Two_admins_removing_each_other_at_once_leave_exactly_one_admin()
    {
        var account = await api.CreateAccountAsync();
        var first = await api.CreateUserAsync(Roles.Admin, account);
        var second = await api.CreateUserAsync(Roles.Admin, account);
        var firstMembership = await MembershipIriAsync(api.ClientFor(first), first, account);
        var secondMembership = await MembershipIriAsync(api.ClientFor(second), second, account);

        var responses = await Task.WhenAll(api.ClientFor(first).DeleteAsync(secondMembership), api.ClientFor(second).DeleteAsync(firstMembership));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.NoContent));
        // The loser finds itself the last admin (422), its target gone (404), or itself no longer an admin (403),
        // depending on how far the winner got before the loser's checks ran.
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.NoContent, HttpStatusCode.UnprocessableEntity, HttpStatusCode.NotFound, HttpStatusCode.Forbidden }));
        Assert.Equal(1, await api.WithDbAsync(db => db.Memberships.CountAsync(m => m.AccountId == account.Id && m.Role == Roles.Admin)));
    }

    [Fact]
    public async Task Filtering_users_by_an_account_the_caller_does_not_administer_matches_nobody()
    {
        var mine = await api.CreateAccountAsync();
        var unrelated = await api.CreateAccountAsync();
        var memberOnly = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, mine);
        await AddMembershipAsync(admin, memberOnly, Roles.User);
        var shared = await api.CreateUserAsync(Roles.User, mine, unrelated, memberOnly);
        var client = api.ClientFor(admin);

        var byUnrelated = await (await client.GetAsync($"/users?accounts[]=/accounts/{unrelated.Slug}")).ExpectAsync(HttpStatusCode.OK);
        var byMissing = await (await client.GetAsync("/users?accounts[]=/accounts/no-such-account")).ExpectAsync(HttpStatusCode.OK);
        var byMemberOnly = await (await client.GetAsync($"/users?accounts[]={memberOnly.Slug}")).ExpectAsync(HttpStatusCode.OK);
        var byMine = await (await client.GetAsync($"/users?accounts[]=/accounts/{unrelated.Slug}&accounts[]=/accounts/{mine.Slug}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(0, (int?)byUnrelated["totalItems"]);
        Assert.Empty(byUnrelated.MemberIds());
        Assert.Equal(0, (int?)byMissing["totalItems"]);
        Assert.Equal(0, (int?)byMemberOnly["totalItems"]);
        Assert.Equal(new[] { admin.Iri, shared.Iri }.Order(), byMine.MemberIds().Order());
        Assert.DoesNotContain(unrelated.Slug, byMine["members"]!.ToJsonString());
    }

    [Fact]
    public async Task Changing_your_email_to_another_users_answers_the_same_422_as_a_malformed_one()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        var stranger = await api.CreateUserAsync(Roles.User, await api.CreateAccountAsync());
        var client = api.ClientFor(user);
        var before = await UserStateAsync(user.Id);

        var taken = await (await client.PutJsonAsync(user.Iri, new { email = stranger.Email.ToUpperInvariant() })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var malformed = await (await client.PutJsonAsync(user.Iri, new { email = "not-an-email" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(UserRules.EmailUnusable, (string?)taken["errors"]!["email"]![0]);
        Assert.Equal(Comparable(malformed), Comparable(taken));
        Assert.DoesNotContain(stranger.Email, taken.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await UserStateAsync(user.Id));
    }

    [Fact]
    public async Task Creating_a_user_with_a_taken_email_answers_the_same_422_as_a_malformed_one()
    {
        var account = await api.CreateAccountAsync();
        var admin = api.ClientFor(await api.CreateUserAsync(Roles.Admin, account));
        var stranger = await api.CreateUserAsync(Roles.User, await api.CreateAccountAsync());
        object Body(string email) => new { name = "Dup", email, memberships = new[] { new { account = "/accounts/" + account.Slug, role = "user" } } };

        var taken = await (await admin.PostJsonAsync("/users", Body(stranger.Email))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var malformed = await (await admin.PostJsonAsync("/users", Body("a@b"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(Comparable(malformed), Comparable(taken));
        Assert.Equal(1, await api.WithDbAsync(db => db.Users.CountAsync(u => u.Email == stranger.Email)));
    }

    /// <summary>A problem document less its <c>instance</c> (the request path, which the caller already knows).</summary>
    private static string Comparable(JsonNode problem)
    {
        var copy = (JsonObject)problem.DeepClone();
        copy.Remove("instance");
        return copy.ToJsonString();
    }
}
