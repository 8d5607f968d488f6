using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Platform.Http;

/// <summary>Bad input never produces a 5xx: each kind gets its documented 4xx problem document.</summary>
public sealed class BadInputTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    /// <summary>
    /// Runs <paramref name="check"/> on every documented operation that reads a body (so a new one is
    /// covered as soon as it exists), as a staff admin of an account holding one resource of each kind;
    /// returns the operations it failed on, with why.
    /// </summary>
    private async Task<List<string>> ForEachBodyOperationAsync(Func<HttpClient, DocumentedOperation, string, Task> check)
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, staff: true, account);
        var client = api.ClientFor(admin);
        var values = await RealResources.CreateAsync(api, client, account.Slug, admin.Slug);
        var operations = (await api.DocumentedOperationsAsync()).Where(o => o.ReadsBody).ToList();
        Assert.True(operations.Count >= 8, $"only {operations.Count} operations read a body");
        var failures = new List<string>();
        foreach (var operation in operations)
        {
            try
            {
                await check(client, operation, RealResources.Fill(operation.Route, values));
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException)
            {
                failures.Add($"{operation}: {e.Message}");
            }
        }

        return failures;
    }

    /// <summary>For the tests below that still need a real contact and the caller's slugs by name.</summary>
    private async Task<(HttpClient Client, Func<string, string> Fill)> AdminAsync()
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, staff: true, account);
        var client = api.ClientFor(admin);
        var contact = await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "C", phones = new[] { new { number = "3035550111" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        var contactSlug = ((string)contact["id"]!).Split('/')[^1];
        return (client, path => path.Replace("ACCOUNT", account.Slug).Replace("USER", admin.Slug).Replace("CONTACT", contactSlug));
    }

    [Fact]
    public async Task Malformed_json_is_400()
    {
        Assert.Empty(await ForEachBodyOperationAsync(async (client, operation, path) =>
        {
            foreach (var body in new[] { "{", "{\"name\": }", "not json", "{\"a\":1}}", "\u0000" })
            {
                await (await client.SendRawAsync(new HttpMethod(operation.Method), path, body)).ExpectProblemAsync(HttpStatusCode.BadRequest);
            }
        }));
    }

    [Fact]
    public async Task A_body_that_is_not_an_object_is_400()
    {
        Assert.Empty(await ForEachBodyOperationAsync(async (client, operation, path) =>
        {
            foreach (var body in new[] { "[]", "42", "\"text\"", "null", "" })
            {
                await (await client.SendRawAsync(new HttpMethod(operation.Method), path, body)).ExpectProblemAsync(HttpStatusCode.BadRequest);
            }
        }));
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_413()
    {
        var huge = "{\"name\":\"" + new string('a', 1024 * 1024 + 10) + "\"}";

        Assert.Empty(await ForEachBodyOperationAsync(async (client, operation, path) =>
            await (await client.SendRawAsync(new HttpMethod(operation.Method), path, huge)).ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge)));
    }

    [Fact]
    public async Task A_non_json_content_type_is_415()
    {
        Assert.Empty(await ForEachBodyOperationAsync(async (client, operation, path) =>
            await (await client.SendRawAsync(new HttpMethod(operation.Method), path, "name=x", "application/x-www-form-urlencoded"))
                .ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType)));
    }

    /// <summary>
    /// The field each endpoint's 422 names for the wrong-types body below: the body is read in document
    /// order and the first field the operation reads that has the wrong type is the one reported.
    /// </summary>
    private static readonly Dictionary<string, string> FirstWrongField = new()
    {
        ["POST /accounts"] = "name",
        ["PATCH /accounts/{account}"] = "name",
        ["POST /users"] = "name",
        ["PUT /users/{id}"] = "name",
        ["POST /users/{id}/api_tokens"] = "description",
        ["POST /{account}/contacts"] = "name",
        ["PUT /contacts/{id}"] = "name",
        ["POST /contacts/{id}/notes"] = "content",
        ["POST /{account}/messages"] = "body",
        ["POST /{account}/messages/schedule"] = "body",
        ["POST /messages"] = "email",
        ["POST /conversations/{id}/assignments"] = "assignee",
        ["PUT /conversations/{id}/assign_contact"] = "assignedContact",
        ["PUT /staff/{id}"] = "level",
        ["POST /{account}/contact_schema"] = "description",
        ["PUT /{account}/contact_schema/{slug}"] = "description",
        ["POST /{account}/user_schema"] = "description",
        ["PUT /{account}/user_schema/{slug}"] = "description",
        ["POST /users/{id}/saved_replies"] = "content",
        ["PUT /saved_replies/{id}"] = "content",
        ["POST /users/{id}/signature"] = "content",
        ["PUT /users/{id}/signature"] = "content",
        ["POST /{account}/whats_app/templates"] = "content",
        ["PUT /whats_app/templates/{id}/status"] = "status",
    };

    [Fact]
    public async Task Wrong_types_are_422_naming_the_field()
    {
        Assert.Empty(await ForEachBodyOperationAsync(async (client, operation, path) =>
        {
            Assert.True(FirstWrongField.TryGetValue(operation.ToString(), out var field), $"Say in {nameof(FirstWrongField)} which field {operation} names.");

            var problem = await (await client.SendRawAsync(new HttpMethod(operation.Method), path, """{"name": {"nested": true}, "description": 5, "content": [1], "slug": 7, "email": false, "phones": "x", "settings": 3, "body": 5, "level": 4, "status": 6}"""))
                .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

            Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
            Assert.StartsWith(field + " must be ", (string?)problem["detail"]);
            Assert.DoesNotContain("System.", problem.ToJsonString());
        }));
    }

    [Theory]
    [InlineData("POST", "/accounts", """{"slug":"typed-1","phone_numbers":[5]}""", "phoneNumbers[0]")]
    [InlineData("PATCH", "/accounts/ACCOUNT", """{"settings":[]}""", "settings")]
    [InlineData("PUT", "/users/USER", """{"discarded":"yes"}""", "discarded")]
    [InlineData("PUT", "/users/USER", """{"memberships":[{"account":"x","role":3}]}""", "memberships[0].role")]
    [InlineData("POST", "/ACCOUNT/contacts", """{"name":"C","phones":[{"number":3035550114}]}""", "phones[0].number")]
    [InlineData("POST", "/ACCOUNT/contacts", """{"name":"C","data":{"tags":"vip"}}""", "data.tags")]
    public async Task A_wrong_type_inside_the_body_is_422_naming_its_path(string method, string path, string body, string field)
    {
        var (client, fill) = await AdminAsync();

        var problem = await (await client.SendRawAsync(new HttpMethod(method), fill(path), body)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [InlineData("POST", "/ACCOUNT/contacts", """{"name":{}}""", "name", "must be a string")]
    [InlineData("PUT", "/users/USER", """{"discarded":"yes"}""", "discarded", "must be true or false")]
    [InlineData("POST", "/ACCOUNT/contacts", """{"name":"C","phones":"x"}""", "phones", "must be an array")]
    [InlineData("POST", "/ACCOUNT/contacts", """{"name":"C","phones":[5]}""", "phones[0]", "must be an object")]
    [InlineData("POST", "/ACCOUNT/contacts", """{"name":"C","phones":[{"number":3035550114}]}""", "phones[0].number", "must be a string")]
    [InlineData("PATCH", "/accounts/ACCOUNT", """{"settings":[]}""", "settings", "must be an object")]
    [InlineData("POST", "/accounts", """{"slug":"typed-2","phone_numbers":[5]}""", "phoneNumbers[0]", "must be a string")]
    public async Task A_wrong_type_says_what_the_field_must_be(string method, string path, string body, string field, string rule)
    {
        var (client, fill) = await AdminAsync();

        var problem = await (await client.SendRawAsync(new HttpMethod(method), fill(path), body)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(rule, (string?)problem["errors"]![field]![0]);
    }

    [Fact]
    public async Task Snake_case_and_json_ld_content_types_are_accepted()
    {
        var (client, fill) = await AdminAsync();

        var response = await client.SendRawAsync(HttpMethod.Post, fill("/ACCOUNT/contacts"),
            """{"name":"Snake","phones":[{"number":"(303) 555-0112"}],"data":{"business_name":"Snake Co"}}""", "application/vnd.textus+jsonld");
        var body = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("Snake Co", (string?)body["data"]!["businessName"]);
    }

    [Fact]
    public async Task Unknown_paths_are_404_problems_with_the_documentation_link()
    {
        var (client, _) = await AdminAsync();

        var response = await client.GetAsync("/no/such/thing/here");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Headers.GetValues("Link"), l => l.Contains("rel=\"http://www.w3.org/ns/hydra/core#apiDocumentation\"", StringComparison.Ordinal));
        Assert.Contains(response.Headers.GetValues("Link"), l => l.Contains("/contexts/hydra:Error.jsonld", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_method_is_405_with_allow()
    {
        var (client, _) = await AdminAsync();

        var response = await client.DeleteAsync("/accounts");

        await response.ExpectProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Errors_answer_in_json_ld_when_that_is_what_was_asked_for()
    {
        var (client, _) = await AdminAsync();
        client.DefaultRequestHeaders.Add("Accept", "application/ld+json");

        var response = await client.GetAsync("/accounts/does-not-exist");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_nul_character_in_any_string_is_422_naming_the_field()
    {
        Assert.Empty(await ForEachBodyOperationAsync(async (client, operation, path) =>
        {
            var problem = await (await client.SendRawAsync(new HttpMethod(operation.Method), path,
                """{"name":"a\u0000b","description":"a\u0000b","content":"a\u0000b","email":"a@b.co","settings":{"x":"\u0000"}}"""))
                .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

            Assert.Contains(problem["errors"]!.AsObject(), e => e.Key is "name" or "description" or "content" or "settings.x");
        }));
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_string_is_422()
    {
        Assert.Empty(await ForEachBodyOperationAsync(async (client, operation, path) =>
        {
            var response = await client.SendRawAsync(new HttpMethod(operation.Method), path,
                """{"name":"a\ud800b","description":"\udfff","content":"x\ud800","email":"a@b.co","phones":[{"number":"3035550100","type":"\ud800"}]}""");

            var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Contains("valid Unicode", problem.ToJsonString());
        }));
    }

    [Fact]
    public async Task A_field_given_twice_is_400_naming_it()
    {
        Assert.Empty(await ForEachBodyOperationAsync(async (client, operation, path) =>
        {
            var problem = await (await client.SendRawAsync(new HttpMethod(operation.Method), path, """{"name":"a","name":"b"}"""))
                .ExpectProblemAsync(HttpStatusCode.BadRequest);

            Assert.Equal("The request body gives the field 'name' more than once.", (string?)problem["detail"]);
            Assert.Equal(["name"], problem["errors"]!.AsObject().Select(e => e.Key));
        }));
    }

    [Theory]
    [InlineData("POST", "/accounts", """{"slug":"twice-1","phone_numbers":[],"phoneNumbers":[]}""", "phoneNumbers")]
    [InlineData("POST", "/ACCOUNT/contacts", """{"name":"C","data":{"business_name":"A","businessName":"B"}}""", "data.businessName")]
    [InlineData("PUT", "/users/USER", """{"memberships":[{"account":"x","role":"user","Role":"admin"}]}""", "memberships[0].Role")]
    [InlineData("PATCH", "/accounts/ACCOUNT", """{"settings":{"a":{"b":1,"b":2}}}""", "settings.a.b")]
    public async Task Snake_case_camel_case_and_nested_repeats_are_the_same_field_given_twice(string method, string path, string body, string field)
    {
        var (client, fill) = await AdminAsync();

        var problem = await (await client.SendRawAsync(new HttpMethod(method), fill(path), body)).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_field_name_is_422_naming_the_object()
    {
        Assert.Empty(await ForEachBodyOperationAsync(async (client, operation, path) =>
        {
            var method = new HttpMethod(operation.Method);
            var top = await (await client.SendRawAsync(method, path, """{"\ud800":1}""")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
            var nested = await (await client.SendRawAsync(method, path, """{"name":"x","data":{"a\udfffb":1}}""")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

            Assert.Equal(["body"], top["errors"]!.AsObject().Select(e => e.Key));
            Assert.Equal(["data"], nested["errors"]!.AsObject().Select(e => e.Key));
            Assert.Contains("not valid Unicode", (string?)top["detail"]);
        }));
    }

    /// <summary>Each ignored field here holds an object with one more ignored field: n of them are 2n ignored fields.</summary>
    [Theory]
    [InlineData("POST", "/ACCOUNT/contacts", "{\"name\":\"C\",\"phones\":[{\"number\":\"3035550113\"}]", HttpStatusCode.Created)]
    [InlineData("POST", "/users/USER/api_tokens", "{\"description\":\"cli\"", HttpStatusCode.Created)]
    [InlineData("PATCH", "/accounts/ACCOUNT", "{\"name\":\"Renamed\"", HttpStatusCode.OK)]
    public async Task Up_to_64_fields_the_operation_ignores_are_accepted_and_more_are_422(string method, string path, string start, HttpStatusCode accepted)
    {
        var (client, fill) = await AdminAsync();
        string With(int ignored) => start + string.Concat(Enumerable.Range(0, ignored).Select(i => $",\"x{i}\":{{\"y\":0}}")) + "}";

        var ok = await client.SendRawAsync(new HttpMethod(method), fill(path), With(32));
        var refused = await client.SendRawAsync(new HttpMethod(method), fill(path), With(33));

        await ok.ExpectAsync(accepted);
        var problem = await refused.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("body has more than 64 fields this operation does not read; send only the documented fields.", (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("/ACCOUNT/contacts?q=%00")]
    [InlineData("/ACCOUNT/contact_phones?q=a%00b")]
    [InlineData("/ACCOUNT/opt_outs?q=303%00")]
    [InlineData("/users?q=%00")]
    [InlineData("/users?accounts[]=%00")]
    [InlineData("/accounts?q=%00")]
    [InlineData("/ACCOUNT/contact_filters/all/contacts?q=%00")]
    public async Task Nul_characters_in_query_parameters_are_400(string path)
    {
        var (client, fill) = await AdminAsync();

        var problem = await (await client.GetAsync(fill(path))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Single(problem["errors"]!.AsObject());
    }
}
