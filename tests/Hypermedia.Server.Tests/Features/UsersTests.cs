using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

public sealed class UsersTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_user_sees_themself_with_memberships_and_their_token_link()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);

        var body = await (await api.ClientFor(user).GetAsync(user.Iri)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("User", (string?)body["@type"]);
        Assert.Equal(user.Email, (string?)body["email"]);
        Assert.Equal("Test", (string?)body["firstName"]);
        Assert.Equal(user.Iri + "/api_tokens", (string?)body["apiTokens"]);
        var membership = body["memberships"]!["members"]![0]!;
        Assert.Equal("Membership", (string?)membership["@type"]);
        Assert.Equal("user", (string?)membership["role"]);
        Assert.Equal("/accounts/" + account.Slug, (string?)membership["account"]!["id"]);
        var membershipIri = (string)membership["id"]!;
        await (await api.ClientFor(user).GetAsync(membershipIri)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_sees_members_of_their_account_but_not_the_token_link()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var member = await api.CreateUserAsync(Roles.User, account);

        var body = await (await api.ClientFor(admin).GetAsync(member.Iri)).ExpectAsync(HttpStatusCode.OK);

        Assert.Null(body["apiTokens"]);
    }

    [Fact]
    public async Task A_plain_member_cannot_see_another_member()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        var other = await api.CreateUserAsync(Roles.User, account);

        await (await api.ClientFor(user).GetAsync(other.Iri)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Memberships_in_accounts_the_caller_is_not_in_stay_hidden()
    {
        var shared = await api.CreateAccountAsync();
        var privateAccount = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, shared);
        var member = await api.CreateUserAsync(Roles.User, shared, privateAccount);

        var body = await (await api.ClientFor(admin).GetAsync(member.Iri)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(1, (int?)body["memberships"]!["totalItems"]);
        Assert.DoesNotContain(privateAccount.Slug, body.ToJsonString());
    }

    [Fact]
    public async Task Users_lists_members_of_the_admins_accounts_and_filters_by_q_and_account()
    {
        var a = await api.CreateAccountAsync();
        var b = await api.CreateAccountAsync();
        var outside = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, a, b);
        var inA = await api.CreateUserAsync(Roles.User, a);
        var inB = await api.CreateUserAsync(Roles.User, b);
        var stranger = await api.CreateUserAsync(Roles.User, outside);
        var client = api.ClientFor(admin);

        var all = await (await client.GetAsync("/users")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { admin.Iri, inA.Iri, inB.Iri }.Order(), all.MemberIds().Order());
        Assert.DoesNotContain(stranger.Iri, all.MemberIds());

        var onlyA = await (await client.GetAsync($"/users?accounts[]=/accounts/{a.Slug}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { admin.Iri, inA.Iri }.Order(), onlyA.MemberIds().Order());

        var byEmail = await (await client.GetAsync("/users?q=" + inB.Email[..8])).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([inB.Iri], byEmail.MemberIds());
    }

    [Fact]
    public async Task Account_users_lists_the_members_of_one_account()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        var other = await api.CreateUserAsync(Roles.Support, account);

        var body = await (await api.ClientFor(user).GetAsync($"/{account.Slug}/users")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(new[] { user.Iri, other.Iri }.Order(), body.MemberIds().Order());
    }

    [Fact]
    public async Task Admin_creates_a_user_with_a_membership()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var email = $"new-{Guid.NewGuid():N}@example.com";

        var response = await api.ClientFor(admin).PostJsonAsync("/users", new
        {
            name = "Naomi Nagata",
            email = email.ToUpperInvariant(),
            memberships = new[] { new { account = "/accounts/" + account.Slug, role = "support" } },
        });
        var body = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal((string?)body["id"], response.Headers.Location?.OriginalString);
        Assert.Equal(email, (string?)body["email"]);
        Assert.Equal("Nagata", (string?)body["lastName"]);
        Assert.Equal("support", (string?)body["memberships"]!["members"]![0]!["role"]);
        Assert.True(await api.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task Creating_a_user_in_an_account_the_caller_does_not_administer_is_422_and_writes_nothing()
    {
        var mine = await api.CreateAccountAsync();
        var theirs = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, mine);
        var email = $"x-{Guid.NewGuid():N}@example.com";

        var problem = await (await api.ClientFor(admin).PostJsonAsync("/users", new
        {
            name = "X",
            email,
            memberships = new[] { new { account = "/accounts/" + theirs.Slug, role = "admin" } },
        })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]!["memberships[0].account"]);
        Assert.False(await api.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Theory]
    [InlineData("""{"email":"a@b.co","memberships":[{"account":"ACCOUNT","role":"user"}]}""", "name")]
    [InlineData("""{"name":"A","email":"not-an-email","memberships":[{"account":"ACCOUNT","role":"user"}]}""", "email")]
    [InlineData("""{"name":"A","email":"a@b.co","memberships":[{"account":"ACCOUNT","role":"owner"}]}""", "memberships[0].role")]
    [InlineData("""{"name":"A","email":"a@b.co","memberships":[]}""", "memberships")]
    [InlineData("""{"name":"A","email":"a@b.co","memberships":"ACCOUNT"}""", "memberships")]
    public async Task Invalid_users_are_422_naming_the_field(string template, string field)
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);

        var problem = await (await api.ClientFor(admin).SendRawAsync(HttpMethod.Post, "/users", template.Replace("ACCOUNT", "/accounts/" + account.Slug)))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Naming_one_account_twice_is_422_not_a_conflict()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var iri = "/accounts/" + account.Slug;

        var problem = await (await api.ClientFor(admin).PostJsonAsync("/users", new
        {
            name = "Twice",
            email = $"twice-{Guid.NewGuid():N}@example.com",
            memberships = new[] { new { account = iri, role = "user" }, new { account = iri, role = "admin" } },
        })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]!["memberships[1].account"]);
    }

    [Fact]
    public async Task A_duplicate_email_is_422_on_the_email_field()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);

        var response = await api.ClientFor(admin).PostJsonAsync("/users", new
        {
            name = "Dup",
            email = admin.Email,
            memberships = new[] { new { account = "/accounts/" + account.Slug, role = "user" } },
        });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(UserRules.EmailUnusable, (string?)problem["errors"]!["email"]![0]);
    }

    [Fact]
    public async Task A_user_renames_themself_and_an_admin_changes_a_role()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var user = await api.CreateUserAsync(Roles.User, account);

        var renamed = await (await api.ClientFor(user).PutJsonAsync(user.Iri, new { name = "Amos Burton" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Amos", (string?)renamed["firstName"]);

        await (await api.ClientFor(admin).PutJsonAsync(user.Iri, new { memberships = new[] { new { account = "/accounts/" + account.Slug, role = "support" } } }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("support", await api.WithDbAsync(db => db.Memberships.Where(m => m.UserId == user.Id).Select(m => m.Role).SingleAsync()));
    }

    [Fact]
    public async Task A_user_cannot_discard_themself()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.Admin, account);

        await (await api.ClientFor(user).PutJsonAsync(user.Iri, new { discarded = true })).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_discarded_users_tokens_stop_working()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var user = await api.CreateUserAsync(Roles.User, account);
        await (await api.ClientFor(user).GetAsync("/")).ExpectAsync(HttpStatusCode.OK);

        var body = await (await api.ClientFor(admin).PutJsonAsync(user.Iri, new { discarded = true })).ExpectAsync(HttpStatusCode.OK);

        Assert.True((bool?)body["discarded"]);
        await (await api.ClientFor(user).GetAsync("/")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }
}
