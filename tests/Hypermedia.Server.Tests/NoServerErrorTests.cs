using System.Text;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests;

/// <summary>
/// Every documented operation, called with hostile route values, bodies and headers, answers a 4xx
/// problem or a success: never a 5xx. The operations come from the API documentation, so a new
/// endpoint is covered as soon as it is documented.
/// </summary>
public sealed class NoServerErrorTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly string[] RouteValues =
    [
        "ACCOUNT", "does-not-exist", "%2B13035550142", "tel:%2B13035550142", new string('a', 3000), "%E2%98%83", "..", "%25", "%20", "null", "-1",
        "9999999999999999999999", "%27%20OR%201%3D1--",
    ];

    private static readonly string?[] Bodies =
    [
        null, "", "{", "[]", "null", "\"text\"", "{}", """{"name":null,"phones":null,"data":null,"memberships":null,"settings":null}""",
        """{"name":123,"email":[],"phones":{},"memberships":[{"account":7,"role":true}],"settings":"x","description":{},"content":false}""",
        """{"name":"x","phones":[null,{"number":null},{"number":"+999999"}],"memberships":[null,{"account":null}],"data":{"tags":[null,7]}}""",
        """{"name":"x","slug":"ok-slug","phoneNumbers":["+1303555"],"parent":"http://evil.example/accounts/demo","settings":{"a":{"b":{"c":[1,2,{"d":null}]}}}}""",
        """{"name":1e400,"description":-0.0,"content":"\u202e\ufeff"}""",
        "{" + string.Concat(Enumerable.Repeat("\"a\":[", 40)) + "1" + string.Concat(Enumerable.Repeat("]", 40)) + "}",
        "{\"name\":\"" + new string('x', 100_000) + "\"}",
    ];

    private static readonly string[] Accepts = ["application/ld+json", "text/html", "*/*;q=0", "application/vnd.textus+jsonld;q=abc", ""];

    [Fact]
    public async Task No_documented_operation_answers_5xx_to_hostile_input()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, staff: true, account);
        var client = api.ClientFor(admin);
        var operations = await api.DocumentedOperationsAsync();
        Assert.True(operations.Count >= 30, $"only {operations.Count} operations documented");
        var failures = new List<string>();

        foreach (var operation in operations)
        {
            foreach (var value in RouteValues)
            {
                var path = System.Text.RegularExpressions.Regex.Replace(operation.Route, "{[^}]+}", value == "ACCOUNT" ? account.Slug : value);
                for (var i = 0; i < Bodies.Length; i++)
                {
                    var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
                    if (Bodies[i] is { } body)
                    {
                        request.Content = new StringContent(body, Encoding.UTF8, i % 3 == 0 ? "application/ld+json" : "application/json");
                    }

                    request.Headers.TryAddWithoutValidation("Accept", Accepts[i % Accepts.Length]);
                    var response = await client.SendAsync(request);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{operation.Method} {path[..Math.Min(path.Length, 80)]} body#{i}: {(int)response.StatusCode}");
                    }
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Hostile_headers_never_answer_5xx()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        string[][] headerSets =
        [
            ["Authorization", "Bearer " + new string('x', 10_000)],
            ["Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + user.Token))],
            ["Authorization", "Basic " + Convert.ToBase64String(new byte[] { 0xff, 0xfe, 0x3a, 0x00 })],
            ["Authorization", "Bearer " + user.Token + " extra"],
            ["Accept", "application/ld+json;q=" + new string('9', 500)],
            ["Accept", string.Join(',', Enumerable.Repeat("application/json", 2000))],
            ["If-None-Match", "\"" + new string('a', 5000) + "\""],
        ];

        foreach (var pair in headerSets)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/{account.Slug}/contacts");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + user.Token);
            request.Headers.Remove(pair[0]);
            request.Headers.TryAddWithoutValidation(pair[0], pair[1]);

            var response = await api.CreateClient().SendAsync(request);

            Assert.True((int)response.StatusCode < 500, $"{pair[0]}: {(int)response.StatusCode}");
        }
    }

    /// <summary>
    /// Every documented operation on real resources of the caller's account (so it gets past the 404 and
    /// reads the body or the cursor): the section-4 shapes of issue 7, each once a 500.
    /// </summary>
    [Fact]
    public async Task Hostile_bodies_and_forged_cursors_on_real_resources_never_answer_5xx()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, staff: true, account);
        var client = api.ClientFor(admin);
        var values = await RealResources.CreateAsync(api, client, account.Slug, admin.Slug);
        var operations = await api.DocumentedOperationsAsync();
        var failures = new List<string>();

        foreach (var operation in operations)
        {
            // A route value without a real resource would 404 before the body or cursor is read, so it fails here.
            var path = RealResources.Fill(operation.Route, values);
            var requests = operation.Method is "POST" or "PUT" or "PATCH"
                ? HostileInput.Bodies.Select(body => new HttpRequestMessage(new HttpMethod(operation.Method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") })
                : operation.Method == "GET"
                    ? HostileInput.CursorForgeries.Concat(HostileInput.CursorTimesOutOfRange).Select(c => new HttpRequestMessage(HttpMethod.Get, $"{path}?cursor={HostileInput.Cursor(c)}"))
                    : [];
            foreach (var request in requests)
            {
                var response = await client.SendAsync(request);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{request.Method} {request.RequestUri}: {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(failures);
    }
}
