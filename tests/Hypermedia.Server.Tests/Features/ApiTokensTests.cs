using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hypermedia.Server.Tests.Features;

public sealed class ApiTokensTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(TestUser User, HttpClient Client)> UserAsync()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        return (user, api.ClientFor(user));
    }

    [Fact]
    public async Task Creating_a_token_shows_it_once_and_it_authenticates()
    {
        var (user, client) = await UserAsync();

        var response = await client.PostJsonAsync(user.Iri + "/api_tokens", new { description = "CRM connector" });
        var created = await response.ExpectAsync(HttpStatusCode.Created);

        var token = (string)created["token"]!;
        Assert.StartsWith("hm_", token);
        Assert.Equal("CRM connector", (string?)created["description"]);
        Assert.Equal((string?)created["id"], response.Headers.Location?.OriginalString);
        await (await api.ClientWithToken(token).GetAsync("/")).ExpectAsync(HttpStatusCode.OK);

        var fetched = await (await client.GetAsync((string)created["id"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(fetched["token"]);
        var list = await (await client.GetAsync(user.Iri + "/api_tokens")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains((string)created["id"]!, list.MemberIds());
        Assert.DoesNotContain(token, list.ToJsonString());
    }

    [Fact]
    public async Task A_deleted_token_stops_working_at_once()
    {
        var (user, client) = await UserAsync();
        var created = await (await client.PostJsonAsync(user.Iri + "/api_tokens", new { description = "temp" })).ExpectAsync(HttpStatusCode.Created);
        var tokenClient = api.ClientWithToken((string)created["token"]!);
        await (await tokenClient.GetAsync("/")).ExpectAsync(HttpStatusCode.OK);

        var deleted = await client.DeleteAsync((string)created["id"]!);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await tokenClient.GetAsync("/")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.GetAsync((string)created["id"]!)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Last_used_is_recorded_at_most_once_a_minute()
    {
        var (user, client) = await UserAsync();
        await api.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, (DateTimeOffset?)null)));
        Task<DateTimeOffset?> LastUsedAsync() =>
            api.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == user.Id).Select(t => t.LastUsedAt).SingleAsync());

        var before = DateTimeOffset.UtcNow;
        await (await client.GetAsync("/")).ExpectAsync(HttpStatusCode.OK);
        var first = await LastUsedAsync();
        var after = DateTimeOffset.UtcNow;
        await (await client.GetAsync("/")).ExpectAsync(HttpStatusCode.OK);

        Assert.NotNull(first);
        Assert.InRange(first.Value, before.AddSeconds(-1), after.AddSeconds(1));
        Assert.Equal(first, await LastUsedAsync());
    }

    [Fact]
    public async Task Basic_email_and_token_authenticates_and_a_wrong_email_does_not()
    {
        var (user, _) = await UserAsync();
        var client = api.CreateClient();

        client.DefaultRequestHeaders.Authorization = Basic(user.Email.ToUpperInvariant(), user.Token);
        await (await client.GetAsync("/")).ExpectAsync(HttpStatusCode.OK);

        client.DefaultRequestHeaders.Authorization = Basic("someone@else.example", user.Token);
        await (await client.GetAsync("/")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer hm_nope")]
    [InlineData("Bearer hm_AAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Basic Zm9v")]
    [InlineData("Digest abc")]
    [InlineData("garbage")]
    public async Task Bad_credentials_are_401(string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await api.CreateClient().SendAsync(request);

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_users_tokens_are_404_to_strangers_and_403_to_their_admin()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var stranger = await api.CreateUserAsync(Roles.Admin, await api.CreateAccountAsync());

        await (await api.ClientFor(stranger).GetAsync(user.Iri + "/api_tokens")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await api.ClientFor(admin).GetAsync(user.Iri + "/api_tokens")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await api.ClientFor(admin).PostJsonAsync(user.Iri + "/api_tokens", new { description = "steal" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var ownTokenId = await api.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == user.Id).Select(t => t.Slug).FirstAsync());
        var delete = await api.ClientFor(admin).DeleteAsync("/api_tokens/" + ownTokenId);
        await delete.ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await api.ClientFor(user).GetAsync("/")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_needs_a_description()
    {
        var (user, client) = await UserAsync();

        var problem = await (await client.PostJsonAsync(user.Iri + "/api_tokens", new { description = "" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]!["description"]);
    }

    [Fact]
    public async Task The_database_never_holds_a_token_an_invitation_or_their_secrets_in_plain_text()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var client = api.ClientFor(admin);
        var created = await (await client.PostJsonAsync(admin.Iri + "/api_tokens", new { description = "audit" })).ExpectAsync(HttpStatusCode.Created);
        var invited = await (await client.PostJsonAsync("/users", new
        {
            name = "Audit Invitee",
            email = $"audit-{Guid.NewGuid():N}@example.com",
            memberships = new[] { new { account = "/accounts/" + account.Slug, role = "user" } },
        })).ExpectAsync(HttpStatusCode.Created);
        var claimedInvitation = (string)invited["invitation"]!;
        var claimed = await (await api.CreateClient().PostAsync(claimedInvitation, null)).ExpectAsync(HttpStatusCode.Created);
        var openInvitation = (string)(await (await client.PostJsonAsync("/users", new
        {
            name = "Open Invitee",
            email = $"open-{Guid.NewGuid():N}@example.com",
            memberships = new[] { new { account = "/accounts/" + account.Slug, role = "user" } },
        })).ExpectAsync(HttpStatusCode.Created))["invitation"]!;
        string[] secrets = [(string)created["token"]!, (string)claimed["token"]!, claimedInvitation.Split('/')[^1], openInvitation.Split('/')[^1]];

        var rows = (await RowsAsJsonAsync("api_tokens")).Concat(await RowsAsJsonAsync("invitations")).ToList();

        Assert.Contains(rows, row => row.Contains("\"used_at\":null", StringComparison.Ordinal));
        Assert.All(rows, row =>
        {
            foreach (var whole in secrets)
            {
                var secret = whole[(whole.LastIndexOf('_') + 1)..];
                Assert.DoesNotContain(whole, row);
                Assert.DoesNotContain(secret, row);
                Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), row);
            }
        });
    }

    /// <summary>Every row of a table as PostgreSQL renders it to JSON: all columns, whatever their type.</summary>
    private async Task<List<string>> RowsAsJsonAsync(string table)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select row_to_json(t)::text from {table} t", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    private static AuthenticationHeaderValue Basic(string email, string token) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}:{token}")));
}
