using System.Net;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features.WhatsApp;

/// <summary>settings.whatsApp on the Account: {enabled, phoneNumber}, set by the account's admins.</summary>
public sealed class WhatsAppSettingsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(Account Account, HttpClient Admin)> AdminAsync()
    {
        var account = await api.CreateAccountAsync();
        return (account, api.ClientFor(await api.CreateUserAsync(Roles.Admin, account)));
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, Account account, string settings) =>
        client.SendRawAsync(HttpMethod.Patch, $"/accounts/{account.Slug}", "{\"settings\":" + settings + "}");

    private Task<(bool Enabled, string? Number, string Settings)> StoredAsync(Account account) =>
        api.WithDbAsync(async db =>
        {
            var row = await db.Accounts.AsNoTracking().Where(a => a.Id == account.Id)
                .Select(a => new { a.WhatsAppEnabled, a.WhatsAppPhoneNumber, a.Settings }).SingleAsync();
            return (row.WhatsAppEnabled, row.WhatsAppPhoneNumber, row.Settings);
        });

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}, got {actual?.ToJsonString()}");

    [Fact]
    public async Task An_account_shows_whatsapp_disabled_without_a_number_until_set()
    {
        var (account, client) = await AdminAsync();

        var document = await (await client.GetAsync($"/accounts/{account.Slug}")).ExpectAsync(HttpStatusCode.OK);

        AssertJson("""{"enabled":false,"phoneNumber":null}""", document["settings"]!["whatsApp"]!);
    }

    [Fact]
    public async Task An_admin_enables_whatsapp_with_a_number_stored_in_e164_beside_the_other_settings()
    {
        var (account, client) = await AdminAsync();

        var body = await (await PatchAsync(client, account, """{"whatsApp":{"enabled":true,"phoneNumber":"(720) 555-0142"},"companyName":"Acme"}"""))
            .ExpectAsync(HttpStatusCode.OK);

        AssertJson("""{"enabled":true,"phoneNumber":"+17205550142"}""", body["settings"]!["whatsApp"]!);
        Assert.Equal("Acme", (string?)body["settings"]!["companyName"]);
        var stored = await StoredAsync(account);
        Assert.Equal((true, (string?)"+17205550142"), (stored.Enabled, stored.Number));
        Assert.DoesNotContain("whatsApp", stored.Settings);
        var read = await (await client.GetAsync($"/accounts/{account.Slug}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(body["settings"]!.ToJsonString(), read["settings"]!.ToJsonString());
    }

    [Fact]
    public async Task A_whatsapp_address_and_the_accounts_own_sms_number_are_accepted()
    {
        var (account, client) = await AdminAsync();

        var body = await (await PatchAsync(client, account, $$$"""{"whatsApp":{"enabled":true,"phone_number":"whatsapp:{{{account.PhoneNumbers[0]}}}"}}"""))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(account.PhoneNumbers[0], (string?)body["settings"]!["whatsApp"]!["phoneNumber"]);
    }

    [Fact]
    public async Task The_value_replaces_the_old_one_whole_and_null_removes_it()
    {
        var (account, client) = await AdminAsync();
        await (await PatchAsync(client, account, """{"whatsApp":{"enabled":true,"phoneNumber":"+17205550143"}}""")).ExpectAsync(HttpStatusCode.OK);

        var disabledKeepingNumber = await (await PatchAsync(client, account, """{"whatsApp":{"enabled":false,"phoneNumber":"+17205550143"}}""")).ExpectAsync(HttpStatusCode.OK);
        AssertJson("""{"enabled":false,"phoneNumber":"+17205550143"}""", disabledKeepingNumber["settings"]!["whatsApp"]!);

        var disabled = await (await PatchAsync(client, account, """{"whatsApp":{"enabled":false}}""")).ExpectAsync(HttpStatusCode.OK);
        AssertJson("""{"enabled":false,"phoneNumber":null}""", disabled["settings"]!["whatsApp"]!);

        await (await PatchAsync(client, account, """{"whatsApp":{"enabled":true,"phoneNumber":"+17205550143"}}""")).ExpectAsync(HttpStatusCode.OK);
        var removed = await (await PatchAsync(client, account, """{"whatsApp":null}""")).ExpectAsync(HttpStatusCode.OK);
        AssertJson("""{"enabled":false,"phoneNumber":null}""", removed["settings"]!["whatsApp"]!);
        Assert.Equal((false, (string?)null), ((await StoredAsync(account)).Enabled, (await StoredAsync(account)).Number));
    }

    [Fact]
    public async Task A_patch_without_whatsapp_leaves_it_as_it_was()
    {
        var (account, client) = await AdminAsync();
        await (await PatchAsync(client, account, """{"whatsApp":{"enabled":true,"phoneNumber":"+17205550144"}}""")).ExpectAsync(HttpStatusCode.OK);

        await (await client.PatchJsonAsync($"/accounts/{account.Slug}", new { name = "Renamed", settings = new { companyName = "Acme" } })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal((true, (string?)"+17205550144"), ((await StoredAsync(account)).Enabled, (await StoredAsync(account)).Number));
    }

    [Theory]
    [InlineData("""{"whatsApp":{"enabled":true}}""", "settings.whatsApp.phoneNumber", "is required while enabled is true")]
    [InlineData("""{"whatsApp":{"enabled":true,"phoneNumber":null}}""", "settings.whatsApp.phoneNumber", "is required while enabled is true")]
    [InlineData("""{"whatsApp":{"phoneNumber":"+17205550145"}}""", "settings.whatsApp.enabled", "is required: true or false")]
    [InlineData("""{"whatsApp":{"enabled":"yes","phoneNumber":"+17205550145"}}""", "settings.whatsApp.enabled", "must be true or false")]
    [InlineData("""{"whatsApp":{"enabled":true,"phoneNumber":"12345"}}""", "settings.whatsApp.phoneNumber", "'12345' is not a valid phone number")]
    [InlineData("""{"whatsApp":{"enabled":true,"phoneNumber":"+17205550145 x12"}}""", "settings.whatsApp.phoneNumber", "must not have an extension")]
    [InlineData("""{"whatsApp":{"enabled":true,"phoneNumber":17205550145}}""", "settings.whatsApp.phoneNumber", "must be a phone number in a string")]
    [InlineData("""{"whatsApp":{"enabled":true,"phoneNumber":"+17205550145","sender":"x"}}""", "settings.whatsApp.sender", "is not a WhatsApp setting")]
    [InlineData("""{"whatsApp":true}""", "settings.whatsApp", "must be an object {enabled, phoneNumber}")]
    public async Task A_bad_whatsapp_setting_is_422_naming_it_and_changes_nothing(string settings, string field, string rule)
    {
        var (account, client) = await AdminAsync();

        var problem = await (await PatchAsync(client, account, settings)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.StartsWith(rule, (string?)problem["errors"]![field]![0]);
        Assert.Equal((false, (string?)null, "{}"), await StoredAsync(account));
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.User)]
    public async Task Only_admins_change_it(string role)
    {
        var account = await api.CreateAccountAsync();
        var member = api.ClientFor(await api.CreateUserAsync(role, account));

        await (await PatchAsync(member, account, """{"whatsApp":{"enabled":true,"phoneNumber":"+17205550146"}}""")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal((false, (string?)null), ((await StoredAsync(account)).Enabled, (await StoredAsync(account)).Number));
    }

    [Fact]
    public async Task Another_accounts_whatsapp_number_is_409()
    {
        var (first, firstClient) = await AdminAsync();
        var (second, secondClient) = await AdminAsync();
        var number = WhatsAppSetup.NewNumber();
        await (await PatchAsync(firstClient, first, $$$"""{"whatsApp":{"enabled":true,"phoneNumber":"{{{number}}}"}}""")).ExpectAsync(HttpStatusCode.OK);

        var problem = await (await PatchAsync(secondClient, second, $$$"""{"whatsApp":{"enabled":false,"phoneNumber":"{{{number}}}"}}""")).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal($"{number} is already the WhatsApp number of another account.", (string?)problem["detail"]);
        Assert.Equal((false, (string?)null), ((await StoredAsync(second)).Enabled, (await StoredAsync(second)).Number));
        // The account's own number again is no conflict.
        await (await PatchAsync(firstClient, first, $$$"""{"whatsApp":{"enabled":false,"phoneNumber":"{{{number}}}"}}""")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Accounts_taking_one_number_at_once_give_one_200_and_the_others_409()
    {
        var admins = new List<(Account Account, HttpClient Client)>();
        for (var i = 0; i < 6; i++)
        {
            admins.Add(await AdminAsync());
        }

        var number = WhatsAppSetup.NewNumber();
        var responses = await Concurrently.SendAsync(admins.Count, i => PatchAsync(admins[i].Client, admins[i].Account, $$$"""{"whatsApp":{"enabled":true,"phoneNumber":"{{{number}}}"}}"""));

        Assert.Equal(new Dictionary<int, int> { [200] = 1, [409] = 5 }, responses.CountByStatus());
        Assert.Equal(1, await api.WithDbAsync(db => db.Accounts.CountAsync(a => a.WhatsAppPhoneNumber == number)));
    }
}
