using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

/// <summary>
/// Settings are loaded with the account on every membership check, so they are kept small: at most
/// 100 keys and 16,384 bytes as stored, after every PATCH, and numbers of at most 32 characters written
/// out in plain decimal (PostgreSQL stores 1e400000 as a 400,001-digit number, or not at all).
/// </summary>
public sealed class AccountSettingsLimitsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(string Slug, long Id, HttpClient Client)> AdminAsync()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        return (account.Slug, account.Id, api.ClientFor(admin));
    }

    private Task<string> StoredSettingsAsync(long accountId) =>
        api.WithDbAsync(db => db.Accounts.Where(a => a.Id == accountId).Select(a => a.Settings).SingleAsync());

    [Theory]
    [InlineData("""{"settings":{"huge":1e400000}}""", "settings.huge")]
    [InlineData("""{"settings":{"wide":1e131000}}""", "settings.wide")]
    [InlineData("""{"settings":{"tiny":1e-400000}}""", "settings.tiny")]
    [InlineData("""{"settings":{"nested":[1,{"deep":-123456789012345678901234567890123}]}}""", "settings.nested[1].deep")]
    public async Task A_number_too_long_to_store_is_422_naming_it(string body, string field)
    {
        var (slug, id, client) = await AdminAsync();

        var problem = await (await client.SendRawAsync(HttpMethod.Patch, "/accounts/" + slug, body)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal("must be a number of at most 32 characters in plain decimal form", (string?)problem["errors"]![field]![0]);
        Assert.Equal("{}", await StoredSettingsAsync(id));
    }

    [Fact]
    public async Task Numbers_are_stored_and_served_in_plain_decimal_form()
    {
        var (slug, id, client) = await AdminAsync();

        var body = await (await client.SendRawAsync(HttpMethod.Patch, "/accounts/" + slug, """{"settings":{"big":1e20,"small":-2.5E-3,"plain":42}}"""))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("""{"big":100000000000000000000,"small":-0.0025,"plain":42,"whatsApp":{"enabled":false,"phoneNumber":null}}""", body["settings"]!.ToJsonString());
        Assert.Equal("""{"big":100000000000000000000,"plain":42,"small":-0.0025}""", (await StoredSettingsAsync(id)).Replace(" ", ""));
    }

    [Fact]
    public async Task Settings_cannot_grow_past_100_keys_across_patches()
    {
        var (slug, id, client) = await AdminAsync();
        string Keys(string prefix) => "{\"settings\":{" + string.Join(',', Enumerable.Range(0, 60).Select(i => $"\"{prefix}{i}\":1")) + "}}";
        await (await client.SendRawAsync(HttpMethod.Patch, "/accounts/" + slug, Keys("a"))).ExpectAsync(HttpStatusCode.OK);

        var problem = await (await client.SendRawAsync(HttpMethod.Patch, "/accounts/" + slug, Keys("b"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("may hold at most 100 keys (this change would make 120)", (string?)problem["errors"]!["settings"]![0]);
        Assert.DoesNotContain("\"b0\"", await StoredSettingsAsync(id));
    }

    [Fact]
    public async Task Settings_cannot_grow_past_16384_bytes_across_patches()
    {
        var (slug, id, client) = await AdminAsync();
        string Texts(string prefix) => "{\"settings\":{" + string.Join(',', Enumerable.Range(0, 4).Select(i => $"\"{prefix}{i}\":\"{new string('x', 2100)}\"")) + "}}";
        await (await client.SendRawAsync(HttpMethod.Patch, "/accounts/" + slug, Texts("a"))).ExpectAsync(HttpStatusCode.OK);

        var problem = await (await client.SendRawAsync(HttpMethod.Patch, "/accounts/" + slug, Texts("b"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.StartsWith("may take at most 16384 bytes as JSON (this change would make 168", (string?)problem["errors"]!["settings"]![0]);
        Assert.DoesNotContain("\"b0\"", await StoredSettingsAsync(id));
        var account = await (await client.GetAsync("/accounts/" + slug)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4 + 1, account["settings"]!.AsObject().Count); // and whatsApp, always shown
    }

    [Fact]
    public async Task Removing_keys_makes_room_in_the_same_patch()
    {
        var (slug, _, client) = await AdminAsync();
        string Texts(string prefix, string? remove) => "{\"settings\":{" + (remove is null ? "" : $"\"{remove}\":null,")
            + string.Join(',', Enumerable.Range(0, 4).Select(i => $"\"{prefix}{i}\":\"{new string('x', 1900)}\"")) + "}}";
        await (await client.SendRawAsync(HttpMethod.Patch, "/accounts/" + slug, Texts("a", null))).ExpectAsync(HttpStatusCode.OK);
        await (await client.SendRawAsync(HttpMethod.Patch, "/accounts/" + slug, Texts("b", null))).ExpectAsync(HttpStatusCode.OK);

        var body = await (await client.SendRawAsync(HttpMethod.Patch, "/accounts/" + slug, "{\"settings\":{\"a0\":null,\"a1\":null,\"c0\":\"" + new string('y', 3000) + "\"}}"))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(7 + 1, body["settings"]!.AsObject().Count); // and whatsApp, always shown
    }
}
