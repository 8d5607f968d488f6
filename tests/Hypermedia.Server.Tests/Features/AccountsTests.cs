using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

public sealed class AccountsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Accounts_lists_only_the_callers_accounts()
    {
        var mine = await api.CreateAccountAsync("mine");
        var other = await api.CreateAccountAsync("other");
        var user = await api.CreateUserAsync(Roles.User, mine);

        var body = await (await api.ClientFor(user).GetAsync("/accounts")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("hydra:Collection", (string?)body["@type"]);
        Assert.Equal(["/accounts/" + mine.Slug], body.MemberIds());
        Assert.Equal(1, (int?)body["totalItems"]);
        Assert.DoesNotContain("/accounts/" + other.Slug, body.ToJsonString());
        Assert.Equal("/accounts", (string?)body["id"]);
        Assert.Equal("/accounts?$top=25", Uri.UnescapeDataString((string)body["view"]!["id"]!));
        Assert.Equal("/accounts", (string?)body["view"]!["first"]);
    }

    [Fact]
    public async Task Account_shows_its_data_links_and_the_callers_role()
    {
        var parent = await api.CreateAccountAsync("parent");
        var child = await api.CreateAccountAsync("child", parent.Slug);
        var user = await api.CreateUserAsync(Roles.Support, child);

        var body = await (await api.ClientFor(user).GetAsync("/accounts/" + child.Slug)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Account", (string?)body["@type"]);
        Assert.Equal("/contexts/Account.jsonld", (string?)body["@context"]);
        Assert.Equal("/accounts/" + child.Slug, (string?)body["id"]);
        Assert.Equal(child.Slug, (string?)body["slug"]);
        Assert.Equal("/accounts/" + parent.Slug, (string?)body["parent"]);
        Assert.Equal("support", (string?)body["effectiveRole"]);
        Assert.Equal(child.PhoneNumbers, body["phoneNumbers"].Strings());
        Assert.Equal($"/{child.Slug}/users", (string?)body["users"]);
        Assert.Equal($"/{child.Slug}/contacts", (string?)body["contacts"]);
        Assert.Equal($"/{child.Slug}/opt_outs", (string?)body["optOuts"]);
    }

    [Fact]
    public async Task Every_account_link_dereferences()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        var body = await (await client.GetAsync("/accounts/" + account.Slug)).ExpectAsync(HttpStatusCode.OK);

        foreach (var link in new[] { "users", "contacts", "contactPhones", "contactFilters", "optOuts" })
        {
            var response = await client.GetAsync((string)body[link]!);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{link} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Admin_patches_name_and_merges_settings()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.Admin, account));

        await (await client.PatchJsonAsync("/accounts/" + account.Slug, new { settings = new { autoReplyMessageEnabled = true, companyName = "Acme" } }))
            .ExpectAsync(HttpStatusCode.OK);
        var body = await (await client.PatchJsonAsync("/accounts/" + account.Slug, new { name = "Renamed", settings = new { companyName = (string?)null } }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Renamed", (string?)body["name"]);
        Assert.True((bool?)body["settings"]!["autoReplyMessageEnabled"]);
        Assert.Null(body["settings"]!["companyName"]);
        var stored = await api.WithDbAsync(db => db.Accounts.SingleAsync(a => a.Id == account.Id));
        Assert.Equal("Renamed", stored.Name);
        Assert.Equal("""{"autoReplyMessageEnabled":true}""", stored.Settings.Replace(" ", ""));
    }

    [Fact]
    public async Task Non_admin_patch_is_403_and_changes_nothing()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.User, account));

        var response = await client.PatchJsonAsync("/accounts/" + account.Slug, new { name = "Hijacked" });

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(account.Name, (await api.WithDbAsync(db => db.Accounts.SingleAsync(a => a.Id == account.Id))).Name);
    }

    [Fact]
    public async Task Patch_with_an_empty_name_or_bad_setting_key_is_422_naming_the_fields()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.Admin, account));

        var problem = await (await client.SendRawAsync(HttpMethod.Patch, "/accounts/" + account.Slug, """{"name":"  ","settings":{"bad key!":1}}"""))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]!["name"]);
        Assert.NotNull(problem["errors"]!["settings.bad key!"]);
    }

    [Fact]
    public async Task Staff_create_an_account_and_become_its_admin()
    {
        var home = await api.CreateAccountAsync();
        var staff = await api.CreateUserAsync(Roles.Admin, staff: true, home);
        var slug = "new-" + Guid.NewGuid().ToString("N")[..8];

        var response = await api.ClientFor(staff).PostJsonAsync("/accounts", new
        {
            slug,
            name = "New Co",
            phone_numbers = new[] { "(720) 555-0142" },
            parent = "/accounts/" + home.Slug,
        });
        var body = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("/accounts/" + slug, response.Headers.Location?.OriginalString);
        Assert.Equal(["+17205550142"], body["phoneNumbers"].Strings());
        Assert.Equal("/accounts/" + home.Slug, (string?)body["parent"]);
        Assert.Equal("admin", (string?)body["effectiveRole"]);
        Assert.True(await api.WithDbAsync(db => db.Memberships.AnyAsync(m => m.UserId == staff.Id && m.Account!.Slug == slug && m.Role == "admin")));
    }

    [Fact]
    public async Task Non_staff_cannot_create_accounts()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);

        var response = await api.ClientFor(admin).PostJsonAsync("/accounts", new { slug = "nope-" + account.Slug, name = "Nope", phone_numbers = new[] { "+13035550199" } });

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("""{"slug":"Bad Slug","name":"x"}""", "slug")]
    [InlineData("""{"slug":"accounts","name":"x"}""", "slug")]
    [InlineData("""{"slug":"fine-slug-1","name":""}""", "name")]
    [InlineData("""{"slug":"fine-slug-2","name":"x","phoneNumbers":["12345"]}""", "phoneNumbers[0]")]
    [InlineData("""{"slug":"fine-slug-3","name":"x","parent":"/accounts/does-not-exist"}""", "parent")]
    [InlineData("""{"slug":"fine-slug-4","name":"x","parent":"/users/abc"}""", "parent")]
    [InlineData("""{"slug":"fine-slug-5","name":5}""", "name")]
    public async Task Invalid_account_creation_is_422_naming_the_field(string body, string field)
    {
        var home = await api.CreateAccountAsync();
        var staff = await api.CreateUserAsync(Roles.Admin, staff: true, home);

        var problem = await (await api.ClientFor(staff).SendRawAsync(HttpMethod.Post, "/accounts", body))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task A_taken_slug_or_phone_number_is_409()
    {
        var existing = await api.CreateAccountAsync();
        var staff = await api.CreateUserAsync(Roles.Admin, staff: true, existing);
        var client = api.ClientFor(staff);

        await (await client.PostJsonAsync("/accounts", new { slug = existing.Slug, name = "Dup" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostJsonAsync("/accounts", new { slug = "other-" + existing.Slug, name = "Dup", phone_numbers = existing.PhoneNumbers }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
    }
}
