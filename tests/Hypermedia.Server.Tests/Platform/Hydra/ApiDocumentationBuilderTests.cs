using System.ComponentModel;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Platform.Hydra;

/// <summary>What the documentation is derived from, and the mistakes that stop it from being built (and so the server from starting).</summary>
public sealed class ApiDocumentationBuilderTests
{
    [Fact]
    public void Returns_expects_and_statuses_come_from_the_endpoint_metadata_its_group_included()
    {
        var doc = Build(app =>
        {
            var group = app.MapGroup("/{account}").ProducesProblems(404);
            group.MapPost("/contacts", () => Results.NoContent()).Documented("Contact", "Create")
                .AcceptsBody<ContactRequest>().Produces<ContactResource>(201).ProducesProblems(409);
        });

        var operation = doc.SupportedClass.Single(c => c.Id.EndsWith("#Contact", StringComparison.Ordinal)).SupportedOperation.Single();
        Assert.Equal("https://hypermedia.dev/vocab#Contact", operation.Returns);
        Assert.Equal("https://hypermedia.dev/vocab#Contact", operation.Expects);
        Assert.Equal([201, 400, 404, 409, 413, 415, 422, 429], operation.PossibleStatus.Select(s => s.StatusCode));
        Assert.Equal("/{account}/contacts", operation.Route);
    }

    [Fact]
    public void A_collection_returns_hydra_Collection_and_documents_its_members_class()
    {
        var doc = Build(app => app.MapGet("/phones", () => Results.NoContent()).Documented("ContactPhone", "List")
            .Produces<HydraCollection<ContactPhoneResource>>());

        var phone = Assert.Single(doc.SupportedClass);
        Assert.Equal("https://hypermedia.dev/vocab#ContactPhone", phone.Id);
        Assert.Equal("http://www.w3.org/ns/hydra/core#Collection", phone.SupportedOperation.Single().Returns);
        Assert.Contains(400, phone.SupportedOperation.Single().PossibleStatus.Select(s => s.StatusCode));
    }

    [Fact]
    public void A_property_contributed_at_start_is_documented_with_its_context_iri()
    {
        var registry = new ApiDescriptionRegistry();
        registry.AddProperty("Account", new PropertyDescription("widgets", "The account's widgets"));

        var doc = Build(app => app.MapGet("/probe", () => Results.NoContent()).Documented("Account.widgets", "List").Produces<SmallAccount>(), registry,
            [("Account", "widgets", "vocab:widgets")]);

        var contacts = doc.SupportedClass.Single().SupportedProperty.Single(p => p.Title == "The account's widgets");
        Assert.Equal("https://hypermedia.dev/vocab#widgets", contacts.Property.Id);
        Assert.True(contacts.Property.IsLink);
        Assert.Single(contacts.Property.SupportedOperation);
    }

    [Fact]
    public void A_resource_property_its_context_does_not_define_stops_the_build() =>
        AssertFails<UndefinedTerm>("does not define the term 'nickname'");

    [Fact]
    public void A_resource_property_without_a_description_stops_the_build() =>
        AssertFails<Undescribed>("'name' has no [Description]");

    [Fact]
    public void A_class_without_a_context_stops_the_build() =>
        AssertFails<NoContext>("contexts/Nowhere.jsonld");

    [Fact]
    public void A_returned_resource_that_is_not_a_documented_class_stops_the_build() =>
        AssertFails<Unmarked>("is not marked [HydraClass]");

    [Fact]
    public void An_operation_that_returns_no_resource_stops_the_build() =>
        AssertFails<string>("String is not a JSON-LD resource type");

    [Fact]
    public void A_request_field_that_writes_no_resource_property_stops_the_build()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(app => app.MapPost("/probe", () => Results.NoContent())
            .Documented("Contact", "Create").Accepts<NicknameRequest>("application/ld+json").Produces<ContactResource>(201)));
        Assert.Contains("NicknameRequest.nickname writes no property of ContactResource", error.Message);
    }

    [Fact]
    public void A_property_contributed_twice_stops_the_build()
    {
        var registry = new ApiDescriptionRegistry();
        registry.AddProperty("Account", new PropertyDescription("slug", "Again"));

        var error = Assert.Throws<InvalidOperationException>(() =>
            Build(app => app.MapGet("/probe", () => Results.NoContent()).Documented("Account", "Get").Produces<SmallAccount>(), registry));
        Assert.Contains("documents the property 'slug' twice", error.Message);
    }

    [Fact]
    public async Task A_server_whose_documentation_does_not_build_does_not_start()
    {
        await using var factory = new UndocumentableApiFactory();
        await factory.InitializeAsync();

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("does not define the term 'nope'", error.ToString());
    }

    private static void AssertFails<TReturns>(string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Build(app => app.MapGet("/probe", () => Results.NoContent()).Documented("Contact", "Get").Produces<TReturns>()));
        Assert.Contains(message, error.Message);
    }

    /// <param name="addedLinks">Link terms an area would add to a context (the catalog composes them in).</param>
    private static ApiDocumentation Build(Action<WebApplication> map, ApiDescriptionRegistry? registry = null,
        (string TypeName, string Term, string Iri)[]? addedLinks = null)
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        map(app);
        var endpoints = new CompositeEndpointDataSource(((IEndpointRouteBuilder)app).DataSources);
        return new ApiDocumentationBuilder(new ContextCatalog(ContextCatalog.DefaultDirectory, addedLinks), registry ?? new(), endpoints).Build();
    }

    [HydraClass("Probe", "A contact with a field its context lacks")]
    private sealed class UndefinedTerm() : Resource("Contact")
    {
        [Description("Not a term")]
        public string Nickname => "";
    }

    [HydraClass("Probe", "A contact with an undocumented field")]
    private sealed class Undescribed() : Resource("Contact")
    {
        public string Name => "";
    }

    [HydraClass("Probe", "A class with no context file")]
    private sealed class NoContext() : Resource("Nowhere");

    private sealed class Unmarked() : Resource("Contact");

    [HydraClass("Account", "An account with only its slug")]
    private sealed class SmallAccount() : Resource("Account")
    {
        [Description("Slug")]
        public string Slug => "";
    }

    [Writes<ContactResource>]
    private sealed record NicknameRequest(string? Nickname);

    /// <summary>The real server with a contributed property whose term no context defines.</summary>
    private sealed class UndocumentableApiFactory : ApiFactory
    {
        protected override void Start()
        {
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            var registry = new ApiDescriptionRegistry();
            registry.AddProperty("Account", new PropertyDescription("nope", "Not a term"));
            builder.ConfigureTestServices(services => services.AddSingleton(registry));
        }
    }
}
