using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests;

/// <summary>
/// A member of one account gets 404 for every resource of an account they do not belong to, on
/// every endpoint, and nothing of the other account changes.
/// </summary>
public sealed class TenantIsolationTests(TenantIsolationTests.Fixture fixture) : IClassFixture<TenantIsolationTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public ApiFactory Api { get; } = new();

        public Dictionary<string, string> Values { get; } = [];

        public HttpClient Outsider { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Api.InitializeAsync();
            var victim = await Api.CreateAccountAsync("victim");
            var owner = await Api.CreateUserAsync(Roles.Admin, victim);
            var ownerClient = Api.ClientFor(owner);
            var contact = await (await ownerClient.PostJsonAsync($"/{victim.Slug}/contacts", new { name = "Secret Person", phones = new[] { new { number = "3035550177" } } }))
                .ExpectAsync(HttpStatusCode.Created);
            var note = await (await ownerClient.PostJsonAsync((string)contact["notes"]!, new { content = "secret note" })).ExpectAsync(HttpStatusCode.Created);
            await (await ownerClient.PutAsync($"/{victim.Slug}/opt_outs/+13035550178", null)).ExpectAsync(HttpStatusCode.Created);
            var membership = await (await ownerClient.GetAsync(owner.Iri)).ExpectAsync(HttpStatusCode.OK);

            // An invitation is a bearer IRI: whoever holds a live one may claim it, from any account.
            // The matrix holds a spent one, which must reveal nothing to anybody.
            var invited = await (await ownerClient.PostJsonAsync("/users", new
            {
                name = "Invited Person",
                email = $"invited-{Guid.NewGuid():N}@example.com",
                memberships = new[] { new { account = "/accounts/" + victim.Slug, role = "user" } },
            })).ExpectAsync(HttpStatusCode.Created);
            await (await Api.CreateClient().PostAsync((string)invited["invitation"]!, null)).ExpectAsync(HttpStatusCode.Created);

            Values["ACCOUNT"] = victim.Slug;
            Values["USER"] = owner.Slug;
            Values["MEMBERSHIP"] = ((string)membership["memberships"]!["members"]![0]!["id"]!).Split('/')[^1];
            Values["TOKEN"] = await Api.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == owner.Id).Select(t => t.Slug).SingleAsync());
            Values["CONTACT"] = ((string)contact["id"]!).Split('/')[^1];
            Values["PHONE"] = ((string)contact["phones"]!["members"]![0]!["id"]!).Split('/')[^1];
            Values["NOTE"] = ((string)note["id"]!).Split('/')[^1];
            Values["INVITED"] = ((string)invited["id"]!).Split('/')[^1];
            Values["INVITATION"] = ((string)invited["invitation"]!).Split('/')[^1];

            var outsiderAccount = await Api.CreateAccountAsync("outsider");
            Outsider = Api.ClientFor(await Api.CreateUserAsync(Roles.Admin, outsiderAccount));
        }

        public async Task DisposeAsync() => await Api.DisposeAsync();

        public string Fill(string path) => Values.Aggregate(path, (p, v) => p.Replace(v.Key, v.Value, StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "GET", "/accounts/ACCOUNT", null },
        { "PATCH", "/accounts/ACCOUNT", """{"name":"pwned"}""" },
        { "GET", "/ACCOUNT/users", null },
        { "GET", "/users/USER", null },
        { "PUT", "/users/USER", """{"name":"pwned"}""" },
        { "GET", "/users/USER/memberships", null },
        { "GET", "/users/USER/memberships/MEMBERSHIP", null },
        { "DELETE", "/users/USER/memberships/MEMBERSHIP", null },
        { "GET", "/users/USER/api_tokens", null },
        { "POST", "/users/USER/api_tokens", """{"description":"pwned"}""" },
        { "GET", "/api_tokens/TOKEN", null },
        { "DELETE", "/api_tokens/TOKEN", null },
        { "POST", "/users/INVITED/invitations", null },
        { "POST", "/invitations/INVITATION", null },
        { "GET", "/ACCOUNT/contacts", null },
        { "POST", "/ACCOUNT/contacts", """{"name":"x","phones":[{"number":"3035550100"}]}""" },
        { "GET", "/contacts/CONTACT", null },
        { "PUT", "/contacts/CONTACT", """{"name":"pwned"}""" },
        { "DELETE", "/contacts/CONTACT", null },
        { "GET", "/contacts/CONTACT/phones", null },
        { "GET", "/contact_phones/PHONE", null },
        { "GET", "/ACCOUNT/contact_phones", null },
        { "GET", "/contacts/CONTACT/notes", null },
        { "POST", "/contacts/CONTACT/notes", """{"content":"pwned"}""" },
        { "GET", "/contact_notes/NOTE", null },
        { "PUT", "/contacts/CONTACT/block", null },
        { "DELETE", "/contacts/CONTACT/block", null },
        { "GET", "/ACCOUNT/contact_filters", null },
        { "GET", "/ACCOUNT/contact_filters/all", null },
        { "GET", "/ACCOUNT/contact_filters/all/contacts", null },
        { "GET", "/ACCOUNT/opt_outs", null },
        { "GET", "/ACCOUNT/opt_outs/+13035550178", null },
        { "PUT", "/ACCOUNT/opt_outs/+13035550179", null },
        { "DELETE", "/ACCOUNT/opt_outs/+13035550178", null },
        { "GET", "/ACCOUNT/opt_outs/+13035550178/history", null },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Another_accounts_resource_is_404(string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), fixture.Fill(path));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await fixture.Outsider.SendAsync(request);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_matrix_covers_every_documented_route_that_names_a_resource()
    {
        var documented = await fixture.Api.DocumentedOperationsAsync();

        var missing = documented
            .Where(operation => operation.Route.Contains('{'))
            .Where(operation => !Endpoints.Any(row => (string)row[0] == operation.Method && operation.Matches(fixture.Fill((string)row[1]))))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public async Task Nothing_of_the_other_account_changed()
    {
        foreach (var row in Endpoints)
        {
            await Another_accounts_resource_is_404((string)row[0], (string)row[1], (string?)row[2]);
        }

        var slug = fixture.Values["ACCOUNT"];
        Assert.Equal("Account " + slug, await fixture.Api.WithDbAsync(db => db.Accounts.Where(a => a.Slug == slug).Select(a => a.Name).SingleAsync()));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.Contacts.CountAsync(c => c.Account!.Slug == slug && c.Name == "Secret Person" && c.BlockedAt == null)));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.ContactNotes.CountAsync(n => n.Contact!.Account!.Slug == slug)));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.OptOuts.CountAsync(o => o.Active && o.PhoneNumber == "+13035550178")));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.Memberships.CountAsync(m => m.Slug == fixture.Values["MEMBERSHIP"])));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.ApiTokens.CountAsync(t => t.Slug == fixture.Values["TOKEN"] && t.RevokedAt == null)));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.ApiTokens.CountAsync(t => t.User!.Slug == fixture.Values["INVITED"])));
        Assert.Equal(0, await fixture.Api.WithDbAsync(db => db.Invitations.CountAsync(i => i.User!.Slug == fixture.Values["INVITED"] && i.UsedAt == null)));
    }
}
