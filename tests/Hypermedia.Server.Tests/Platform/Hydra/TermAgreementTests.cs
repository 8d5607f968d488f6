using System.Text.Json.Serialization.Metadata;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Platform.Json;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Platform.Hydra;

/// <summary>
/// A resource type, its context and its class in the API documentation name the same terms, in every
/// direction: what a resource serializes is defined and documented, what a context defines is
/// serialized by something, and what the documentation lists exists.
/// </summary>
public sealed class TermAgreementTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    /// <summary>Every typed node the server writes: its resources, their smaller references, collections, errors, the documentation.</summary>
    private static readonly List<Type> NodeTypes = typeof(Program).Assembly.GetTypes().Concat(typeof(TypedNode).Assembly.GetTypes())
        .Where(t => typeof(TypedNode).IsAssignableFrom(t) && !t.IsAbstract && !t.IsGenericTypeDefinition)
        .Append(typeof(HydraCollection<object>))
        .ToList();

    private ContextCatalog Catalog => api.Services.GetRequiredService<ContextCatalog>();

    [Fact]
    public void Every_serialized_property_of_every_resource_type_is_a_term_of_its_context_and_documented_on_its_class()
    {
        var documented = Documented();
        var failures = new List<string>();
        foreach (var type in NodeTypes)
        {
            var typeName = ResourceTypes.TypeNameOf(type);
            foreach (var property in ApiDocumentationBuilder.ResourceProperties(type))
            {
                if (!Catalog.PropertyTerms(typeName).Contains(property.Name))
                {
                    failures.Add($"{type.Name}.{property.Name} is not a term of contexts/{typeName}.jsonld");
                }
                else if (!typeName.StartsWith("hydra:", StringComparison.Ordinal)
                    && !(documented.TryGetValue(Catalog.ClassIri(typeName), out var properties) && properties.Contains(Catalog.Term(typeName, property.Name).Iri)))
                {
                    failures.Add($"{type.Name}.{property.Name} is not documented on the class {typeName}");
                }
            }
        }

        Assert.Empty(failures);
        Assert.Contains(typeof(UserReference), NodeTypes);
    }

    [Fact]
    public void Every_term_of_every_context_is_serialized_by_a_node_of_its_type_or_contributed_at_start()
    {
        var used = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in NodeTypes)
        {
            var names = used.TryGetValue(ResourceTypes.TypeNameOf(type), out var set) ? set : used[ResourceTypes.TypeNameOf(type)] = [];
            AddFieldNames(type, names, []);
        }

        foreach (var (typeName, properties) in api.Services.GetRequiredService<ApiDescriptionRegistry>().Properties)
        {
            used[typeName].UnionWith(properties.Select(p => p.Term));
        }

        var unused = Catalog.TypeNames
            .SelectMany(typeName => Catalog.PropertyTerms(typeName)
                .Where(term => !used.GetValueOrDefault(typeName, []).Contains(term))
                .Select(term => $"contexts/{typeName}.jsonld defines '{term}', which no {typeName} serializes"))
            .ToList();

        Assert.Empty(unused);
    }

    [Fact]
    public void Each_documented_class_lists_exactly_the_properties_of_its_resource_type_and_those_contributed_at_start()
    {
        var registry = api.Services.GetRequiredService<ApiDescriptionRegistry>();
        var classTypes = typeof(Program).Assembly.GetTypes().Where(t => t.GetCustomAttributes(typeof(HydraClassAttribute), false).Length > 0).ToList();
        var documented = Documented();

        Assert.Equal(classTypes.Count, documented.Count);
        foreach (var type in classTypes)
        {
            var typeName = ResourceTypes.TypeNameOf(type);
            var expected = ApiDocumentationBuilder.ResourceProperties(type).Select(p => p.Name)
                .Concat(registry.Properties.GetValueOrDefault(typeName, []).Select(p => p.Term))
                .Select(term => Catalog.Term(typeName, term).Iri);
            Assert.True(documented.TryGetValue(Catalog.ClassIri(typeName), out var properties), $"{type.Name} is marked [HydraClass] but not documented");
            Assert.Equal(expected.Order(), properties.Order());
        }
    }

    [Fact]
    public void Writable_and_required_properties_come_from_the_request_types_that_write_them()
    {
        var classes = api.Services.GetRequiredService<ApiDocumentationBuilder>().Build().SupportedClass.ToDictionary(c => c.Id);

        var contact = Flags(classes[Catalog.ClassIri("Contact")], "Contact");
        Assert.Equal((true, false), contact["name"]);
        Assert.Equal((true, true), contact["phones"]);
        Assert.Equal((true, false), contact["data"]);
        Assert.Equal((false, false), contact["firstName"]);
        Assert.Equal((false, false), contact["blocked"]);

        // MembershipRequest is never accepted alone: it is found inside the user requests.
        var membership = Flags(classes[Catalog.ClassIri("Membership")], "Membership");
        Assert.Equal((true, true), membership["role"]);
        Assert.Equal((true, true), membership["account"]);
        Assert.Equal((false, false), membership["createdAt"]);
        Assert.Equal(typeof(MembershipRequest), typeof(CreateUserRequest).GetProperty("Memberships")!.PropertyType.GetGenericArguments()[0]);
    }

    private Dictionary<string, (bool Writable, bool Required)> Flags(ApiClass apiClass, string typeName)
    {
        var termOf = Catalog.PropertyTerms(typeName).ToDictionary(t => Catalog.Term(typeName, t).Iri);
        return apiClass.SupportedProperty.ToDictionary(p => termOf[p.Property.Id], p => (p.Writable, p.Required));
    }

    /// <summary>Class IRI → the IRIs of its documented properties, from the documentation the server built at start.</summary>
    private Dictionary<string, List<string>> Documented() =>
        api.Services.GetRequiredService<ApiDocumentationBuilder>().Build().SupportedClass
            .ToDictionary(c => c.Id, c => c.SupportedProperty.Select(p => p.Property.Id).ToList());

    /// <summary>A node's field names and those of the plain objects inside it, which share its context (the documentation's classes, operations…).</summary>
    private static void AddFieldNames(Type type, HashSet<string> names, HashSet<Type> seen)
    {
        if (!seen.Add(type))
        {
            return;
        }

        var info = ApiJson.Response.GetTypeInfo(type);
        if (info.Kind == JsonTypeInfoKind.Enumerable)
        {
            AddFieldNames(info.ElementType!, names, seen);
        }
        else if (info.Kind == JsonTypeInfoKind.Object)
        {
            foreach (var property in info.Properties.Where(p => !p.Name.StartsWith('@') && p.Name != "id"))
            {
                names.Add(property.Name);
                if (!typeof(TypedNode).IsAssignableFrom(property.PropertyType))
                {
                    AddFieldNames(property.PropertyType, names, seen);
                }
            }
        }
    }
}
