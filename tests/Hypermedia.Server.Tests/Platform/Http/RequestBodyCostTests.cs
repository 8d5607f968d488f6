using System.Net;
using System.Text;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Platform.Http;

/// <summary>
/// A body of 100,000 snake_case keys (just under the 1 MB limit) is refused with a 422 naming where.
/// A walk quadratic in the key count took minutes on it; tests assert behaviour, not time, so the
/// cost itself belongs to the benchmarks (docs/benchmarks.md), not here.
/// </summary>
public sealed class RequestBodyCostTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const int KeyCount = 100_000;

    /// <summary>{"_aaaa":0,"_aaab":0,…}: distinct keys, each with an underscore, that stay distinct in camelCase.</summary>
    private static string ManyKeys(string? wrapper = null)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var keys = new StringBuilder("{");
        for (var i = 0; i < KeyCount; i++)
        {
            keys.Append(i == 0 ? "\"_" : ",\"_");
            for (int n = i, digit = 0; digit < 4; digit++, n /= alphabet.Length)
            {
                keys.Append(alphabet[n % alphabet.Length]);
            }

            keys.Append("\":0");
        }

        keys.Append('}');
        var body = wrapper is null ? keys.ToString() : "{\"" + wrapper + "\":" + keys + "}";
        Assert.True(Encoding.UTF8.GetByteCount(body) < 1024 * 1024, "the body must stay under the 1 MB limit");
        return body;
    }

    [Theory]
    [InlineData("POST", "/ACCOUNT/contacts", null, "body")]
    [InlineData("POST", "/ACCOUNT/contacts", "data", "body")]
    [InlineData("PUT", "/users/USER", null, "body")]
    [InlineData("PATCH", "/accounts/ACCOUNT", "settings", "settings")]
    public async Task A_body_of_100000_keys_is_refused_naming_where(string method, string path, string? wrapper, string field)
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, account);
        var client = api.ClientFor(admin);
        var url = path.Replace("ACCOUNT", account.Slug).Replace("USER", admin.Slug);
        var body = ManyKeys(wrapper);

        var problem = await (await client.SendRawAsync(new HttpMethod(method), url, body)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]![field]);
    }
}
