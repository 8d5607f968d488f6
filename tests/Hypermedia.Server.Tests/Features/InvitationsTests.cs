using System.Net;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Invitations;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

public sealed class InvitationsTests : IClassFixture<ClockedApiFactory>
{
    private readonly ClockedApiFactory api;

    public InvitationsTests(ClockedApiFactory api)
    {
        this.api = api;
        api.Clock.Reset();
    }

    private sealed record Invited(string Iri, string Slug, string Invitation);

    private async Task<(Account Account, TestUser Admin, HttpClient Client)> AdminAsync()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        return (account, admin, api.ClientFor(admin));
    }

    /// <summary>Creates a user through the API, as an admin would, and returns the invitation shown once.</summary>
    private static async Task<Invited> InviteNewUserAsync(HttpClient admin, Account account, string role = Roles.User)
    {
        var body = await (await admin.PostJsonAsync("/users", new
        {
            name = "Julie Mao",
            email = $"julie-{Guid.NewGuid():N}@example.com",
            memberships = new[] { new { account = "/accounts/" + account.Slug, role } },
        })).ExpectAsync(HttpStatusCode.Created);
        var iri = (string)body["id"]!;
        return new Invited(iri, iri.Split('/')[^1], (string)body["invitation"]!);
    }

    /// <summary>A claim carries no credentials at all.</summary>
    private Task<HttpResponseMessage> ClaimAsync(string invitation) => api.CreateClient().PostAsync(invitation, null);

    private Task<int> TokenCountAsync(string userSlug) =>
        api.WithDbAsync(db => db.ApiTokens.CountAsync(t => t.User!.Slug == userSlug));

    private Task<Invitation> InvitationRowAsync(string invitationIri)
    {
        var slug = invitationIri.Split('/')[^1]["hmi_".Length..][..10];
        return api.WithDbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Slug == slug));
    }

    /// <summary>A 404's body, less its <c>instance</c> (the request path, which the caller already knows).</summary>
    private static async Task<string> NotFoundBodyAsync(HttpResponseMessage response)
    {
        var problem = (JsonObject)await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        problem.Remove("instance");
        return problem.ToJsonString();
    }

    [Fact]
    public async Task Creating_a_user_answers_an_invitation_iri_shown_once()
    {
        var (account, admin, client) = await AdminAsync();

        var user = await InviteNewUserAsync(client, account);

        Assert.Matches("^/invitations/hmi_[A-Za-z0-9]{10}_[A-Za-z0-9]{43}$", user.Invitation);
        var fetched = await (await client.GetAsync(user.Iri)).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(fetched["invitation"]);
        Assert.DoesNotContain(user.Invitation, fetched.ToJsonString());
        var row = await InvitationRowAsync(user.Invitation);
        Assert.Equal(admin.Id, row.IssuedById);
        Assert.Equal(row.CreatedAt + TimeSpan.FromDays(7), row.ExpiresAt);
        Assert.Null(row.UsedAt);
        Assert.Null(row.RevokedAt);
        Assert.Equal(0, await TokenCountAsync(user.Slug));
    }

    [Fact]
    public async Task Claiming_an_invitation_without_credentials_gives_the_first_token_and_it_authenticates()
    {
        var (account, _, client) = await AdminAsync();
        var user = await InviteNewUserAsync(client, account);

        var response = await ClaimAsync(user.Invitation);
        var token = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("ApiToken", (string?)token["@type"]);
        Assert.Equal("/contexts/ApiToken.jsonld", (string?)token["@context"]);
        Assert.Equal(user.Iri, (string?)token["user"]);
        Assert.Equal(InvitationsApi.ClaimedTokenDescription, (string?)token["description"]);
        Assert.Null(token["lastUsedAt"]);
        Assert.Equal((string?)token["id"], response.Headers.Location?.OriginalString);
        var secret = (string)token["token"]!;
        Assert.StartsWith("hm_", secret);
        var self = await (await api.ClientWithToken(secret).GetAsync(user.Iri)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(user.Iri + "/api_tokens", (string?)self["apiTokens"]);
        var row = await InvitationRowAsync(user.Invitation);
        Assert.NotNull(row.UsedAt);
        Assert.Equal(await api.WithDbAsync(db => db.ApiTokens.Where(t => t.User!.Slug == user.Slug).Select(t => (long?)t.Id).SingleAsync()), row.ApiTokenId);
    }

    [Fact]
    public async Task A_spent_invitation_is_404_and_issues_no_second_token()
    {
        var (account, _, client) = await AdminAsync();
        var user = await InviteNewUserAsync(client, account);
        await (await ClaimAsync(user.Invitation)).ExpectAsync(HttpStatusCode.Created);

        await (await ClaimAsync(user.Invitation)).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(1, await TokenCountAsync(user.Slug));
    }

    [Fact]
    public async Task An_invitation_works_until_seven_days_have_passed_and_not_after()
    {
        var (account, _, client) = await AdminAsync();
        var early = await InviteNewUserAsync(client, account);
        var late = await InviteNewUserAsync(client, account);

        api.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await (await ClaimAsync(early.Invitation)).ExpectAsync(HttpStatusCode.Created);
        api.Clock.Advance(TimeSpan.FromMinutes(2));
        await (await ClaimAsync(late.Invitation)).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0, await TokenCountAsync(late.Slug));
        Assert.Null((await InvitationRowAsync(late.Invitation)).UsedAt);
    }

    [Fact]
    public async Task Discarding_a_user_revokes_their_invitation_and_restoring_them_does_not_revive_it()
    {
        var (account, _, client) = await AdminAsync();
        var user = await InviteNewUserAsync(client, account);

        await (await client.PutJsonAsync(user.Iri, new { discarded = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull((await InvitationRowAsync(user.Invitation)).RevokedAt);
        await (await ClaimAsync(user.Invitation)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.PutJsonAsync(user.Iri, new { discarded = false })).ExpectAsync(HttpStatusCode.OK);

        await (await ClaimAsync(user.Invitation)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await TokenCountAsync(user.Slug));
    }

    [Fact]
    public async Task Parallel_claims_of_one_invitation_give_exactly_one_token()
    {
        var (account, _, client) = await AdminAsync();
        for (var round = 0; round < 5; round++)
        {
            var user = await InviteNewUserAsync(client, account);
            var clients = Enumerable.Range(0, 4).Select(_ => api.CreateClient()).ToList();

            var responses = await Task.WhenAll(clients.Select(c => c.PostAsync(user.Invitation, null)));

            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
            Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.NotFound));
            Assert.Equal(1, await TokenCountAsync(user.Slug));
        }
    }

    [Fact]
    public async Task Spent_expired_revoked_unknown_and_malformed_invitations_answer_the_same_404()
    {
        var (account, _, client) = await AdminAsync();
        var spent = await InviteNewUserAsync(client, account);
        await (await ClaimAsync(spent.Invitation)).ExpectAsync(HttpStatusCode.Created);
        var revoked = await InviteNewUserAsync(client, account);
        await (await client.PostAsync(revoked.Iri + "/invitations", null)).ExpectAsync(HttpStatusCode.Created);
        var expired = await InviteNewUserAsync(client, account);
        var live = await InviteNewUserAsync(client, account);
        var wrongSecret = live.Invitation[..^5] + (live.Invitation.EndsWith("XXXXX", StringComparison.Ordinal) ? "YYYYY" : "XXXXX");
        string[] unusable = [spent.Invitation, revoked.Invitation, "/invitations/hmi_AAAAAAAAAA_" + new string('B', 43), wrongSecret, "/invitations/nope"];

        var bodies = new List<string>();
        foreach (var iri in unusable)
        {
            bodies.Add(await NotFoundBodyAsync(await ClaimAsync(iri)));
        }

        // The wrong secret was refused for its secret alone: the invitation it names still works.
        await (await ClaimAsync(live.Invitation)).ExpectAsync(HttpStatusCode.Created);
        api.Clock.Advance(TimeSpan.FromDays(8));
        bodies.Add(await NotFoundBodyAsync(await ClaimAsync(expired.Invitation)));
        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task An_admin_invites_an_existing_user_without_a_token_and_the_new_invitation_replaces_the_old()
    {
        var (account, admin, client) = await AdminAsync();
        var user = await InviteNewUserAsync(client, account);

        var response = await client.PostAsync(user.Iri + "/invitations", null);
        var invitation = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("Invitation", (string?)invitation["@type"]);
        Assert.Equal("/contexts/Invitation.jsonld", (string?)invitation["@context"]);
        Assert.Equal(user.Iri, (string?)invitation["user"]);
        var iri = (string)invitation["id"]!;
        Assert.Matches("^/invitations/hmi_[A-Za-z0-9]{10}_[A-Za-z0-9]{43}$", iri);
        Assert.Equal(iri, response.Headers.Location?.OriginalString);
        Assert.Equal(((DateTimeOffset)invitation["createdAt"]!).AddDays(7), (DateTimeOffset)invitation["expiresAt"]!);
        Assert.NotNull((await InvitationRowAsync(user.Invitation)).RevokedAt);
        Assert.Equal(admin.Id, (await InvitationRowAsync(iri)).IssuedById);
        await (await ClaimAsync(user.Invitation)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await ClaimAsync(iri)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_user_who_has_an_active_token_cannot_be_invited_until_they_have_none()
    {
        var (account, _, client) = await AdminAsync();
        var member = await api.CreateUserAsync(Roles.User, account);

        await (await client.PostAsync(member.Iri + "/invitations", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostAsync(member.Iri.Replace(member.Slug, "") + "x/invitations", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var ownToken = await api.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == member.Id).Select(t => t.Slug).SingleAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await api.ClientFor(member).DeleteAsync("/api_tokens/" + ownToken)).StatusCode);

        await (await client.PostAsync(member.Iri + "/invitations", null)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Only_an_admin_of_every_account_of_the_user_may_invite_them()
    {
        var (account, _, client) = await AdminAsync();
        var other = await api.CreateAccountAsync();
        var user = await InviteNewUserAsync(client, account);
        var plain = await api.CreateUserAsync(Roles.User, account);
        var outsider = await api.CreateUserAsync(Roles.Admin, await api.CreateAccountAsync());
        var adminOfBoth = await api.CreateUserAsync(Roles.Admin, account, other);
        await (await api.ClientFor(adminOfBoth).PutJsonAsync(user.Iri, new { memberships = new[] { new { account = "/accounts/" + other.Slug, role = "user" } } }))
            .ExpectAsync(HttpStatusCode.OK);

        await (await api.ClientFor(plain).PostAsync(user.Iri + "/invitations", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await api.ClientFor(outsider).PostAsync(user.Iri + "/invitations", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync(user.Iri + "/invitations", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Null((await InvitationRowAsync(user.Invitation)).RevokedAt);
        await (await api.ClientFor(adminOfBoth).PostAsync(user.Iri + "/invitations", null)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Staff_may_invite_a_user_of_any_account()
    {
        var (account, _, client) = await AdminAsync();
        var user = await InviteNewUserAsync(client, account);
        var staff = await api.CreateUserAsync(Roles.User, staff: true);

        await (await api.ClientFor(staff).PostAsync(user.Iri + "/invitations", null)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_discarded_user_cannot_be_invited()
    {
        var (account, _, client) = await AdminAsync();
        var user = await InviteNewUserAsync(client, account);
        await (await client.PutJsonAsync(user.Iri, new { discarded = true })).ExpectAsync(HttpStatusCode.OK);

        await (await client.PostAsync(user.Iri + "/invitations", null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(0, await api.WithDbAsync(db => db.Invitations.CountAsync(i => i.User!.Slug == user.Slug && i.RevokedAt == null)));
    }

    [Fact]
    public async Task The_invitations_link_is_offered_to_admins_for_others_and_null_otherwise()
    {
        var (account, admin, client) = await AdminAsync();
        var member = await api.CreateUserAsync(Roles.User, account);

        var asAdmin = await (await client.GetAsync(member.Iri)).ExpectAsync(HttpStatusCode.OK);
        var asSelf = await (await api.ClientFor(member).GetAsync(member.Iri)).ExpectAsync(HttpStatusCode.OK);
        var adminAsSeenByMember = (await (await api.ClientFor(member).GetAsync($"/{account.Slug}/users")).ExpectAsync(HttpStatusCode.OK))["members"]!
            .AsArray().Single(u => (string?)u!["id"] == admin.Iri)!;

        Assert.Equal(member.Iri + "/invitations", (string?)asAdmin["invitations"]);
        Assert.True(asSelf.AsObject().ContainsKey("invitations"));
        Assert.Null(asSelf["invitations"]);
        Assert.Null(adminAsSeenByMember["invitations"]);
    }
}
