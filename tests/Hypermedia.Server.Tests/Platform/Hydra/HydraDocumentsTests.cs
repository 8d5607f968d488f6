using System.Net;
using Hypermedia.JsonLd;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Platform.Json;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Platform.Hydra;

public sealed class HydraDocumentsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Contexts_are_served_with_etag_and_cache_control_and_answer_304_when_unchanged()
    {
        var client = api.CreateClient();

        var response = await client.GetAsync("/contexts/Account.jsonld");
        var body = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(body["@context"]!["name"]);
        Assert.Contains("max-age", response.Headers.CacheControl?.ToString());
        var etag = response.Headers.ETag!;
        var request = new HttpRequestMessage(HttpMethod.Get, "/contexts/Account.jsonld");
        request.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_context_is_404()
    {
        await (await api.CreateClient().GetAsync("/contexts/Nope.jsonld")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await api.CreateClient().GetAsync("/contexts/..%2Fappsettings.json")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_response_links_the_api_documentation()
    {
        var client = api.CreateClient();
        foreach (var path in new[] { "/contexts/Account.jsonld", "/api_documentation", "/", "/missing" })
        {
            var response = await client.GetAsync(path);
            Assert.Contains(response.Headers.GetValues("Link"),
                l => l == "</api_documentation>; rel=\"http://www.w3.org/ns/hydra/core#apiDocumentation\"");
        }
    }

    [Fact]
    public async Task Head_answers_like_get_without_a_body_so_discovery_works_from_headers()
    {
        var client = api.CreateClient();

        var documentation = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api_documentation"));
        var missing = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/accounts/nope"));

        Assert.Equal(HttpStatusCode.OK, documentation.StatusCode);
        Assert.Empty(await documentation.Content.ReadAsByteArrayAsync());
        Assert.NotNull(documentation.Headers.ETag);
        Assert.Contains(documentation.Headers.GetValues("Link"), l => l.Contains("hydra/core#apiDocumentation", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Empty(await missing.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_api_documentation_documents_every_route_the_server_maps()
    {
        var documented = await api.DocumentedOperationsAsync();
        var routes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HydraOperationMetadata>() is null && e.Metadata.GetMetadata<OutsideTheApiMetadata>() is null)
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        // Only the two documents that describe the API itself are not operations of it.
        Assert.Equal(new[] { "/api_documentation", "/contexts/{name}" }.Order(), routes.Order());
        Assert.All(documented, operation =>
        {
            Assert.Contains(429, operation.Statuses);
            Assert.StartsWith("http", operation.Returns);
        });
        Assert.Contains(documented, o => o.Method == "PATCH" && o.Route == "/accounts/{account}");
        Assert.Contains(documented, o => o.Method == "DELETE" && o.Route == "/contacts/{id}" && o.Statuses.Contains(409));
    }

    [Fact]
    public async Task The_api_documentation_lists_classes_with_absolute_property_iris()
    {
        var doc = await (await api.CreateClient().GetAsync("/api_documentation")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("hydra:ApiDocumentation", (string?)doc["@type"]);
        Assert.Equal("/", (string?)doc["entrypoint"]);
        var account = doc["supportedClass"]!.AsArray().Single(c => (string?)c!["id"] == "https://hypermedia.dev/vocab#Account")!;
        var properties = account["supportedProperty"]!.AsArray().Select(p => (string)p!["property"]!["id"]!).ToList();
        Assert.Contains("https://schema.org/name", properties);
        Assert.Contains("https://hypermedia.dev/vocab#contacts", properties);
        var contacts = account["supportedProperty"]!.AsArray().Single(p => (string?)p!["property"]!["id"] == "https://hypermedia.dev/vocab#contacts")!;
        Assert.Equal("hydra:Link", (string?)contacts["property"]!["@type"]);
    }

    [Fact]
    public async Task Each_collection_link_advertises_a_search_template_with_property_iris()
    {
        var doc = await (await api.CreateClient().GetAsync("/api_documentation")).ExpectAsync(HttpStatusCode.OK);

        var account = doc["supportedClass"]!.AsArray().Single(c => (string?)c!["id"] == "https://hypermedia.dev/vocab#Account")!;
        var contacts = account["supportedProperty"]!.AsArray().Single(p => (string?)p!["property"]!["id"] == "https://hypermedia.dev/vocab#contacts")!;
        var search = contacts["property"]!["search"]!;
        Assert.Equal("hydra:IriTemplate", (string?)search["@type"]);
        Assert.Equal("/{account}/contacts{?q,$filter,$orderby,$top,$skip,$count,cursor}", (string?)search["template"]);
        var mappings = search["mapping"]!.AsArray().ToDictionary(m => (string)m!["variable"]!, m => (string)m!["property"]!);
        Assert.Equal("http://www.w3.org/ns/hydra/core#freetextQuery", mappings["q"]);
        Assert.Equal("http://www.w3.org/ns/hydra/core#limit", mappings["$top"]);
        Assert.All(mappings.Values, iri => Assert.StartsWith("http", iri));

        var optOuts = account["supportedProperty"]!.AsArray().Single(p => (string?)p!["property"]!["id"] == "https://hypermedia.dev/vocab#optOuts")!;
        Assert.StartsWith("/{account}/opt_outs{?q,exact[],", (string?)optOuts["property"]!["search"]!["template"]);
    }

    /// <summary>Every resource class's JSON properties are terms of its context, so JSON-LD processors drop nothing.</summary>
    [Fact]
    public void Every_serialized_property_of_every_resource_type_is_defined_in_its_context()
    {
        var catalog = api.Services.GetRequiredService<ContextCatalog>();
        var resolver = ApiJson.Response.TypeInfoResolver!;
        var nodeTypes = typeof(Program).Assembly.GetTypes().Concat(typeof(TypedNode).Assembly.GetTypes())
            .Where(t => typeof(TypedNode).IsAssignableFrom(t) && !t.IsAbstract && !t.IsGenericTypeDefinition)
            .Append(typeof(HydraCollection<object>))
            .ToList();
        Assert.NotEmpty(nodeTypes);

        foreach (var type in nodeTypes)
        {
            var typeName = ((TypedNode)Activator.CreateInstance(type)!).Type;
            var info = resolver.GetTypeInfo(type, ApiJson.Response)!;
            // Extension data holds the links areas register; their terms are checked where they are added.
            foreach (var property in info.Properties.Where(p => !p.Name.StartsWith('@') && p.Name != "id" && !p.IsExtensionData))
            {
                var (iri, _) = catalog.Term(typeName, property.Name);
                Assert.StartsWith("http", iri);
            }
        }
    }
}
