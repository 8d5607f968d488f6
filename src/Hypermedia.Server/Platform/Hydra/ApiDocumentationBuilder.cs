using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Hypermedia.JsonLd;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;

namespace Hypermedia.Server.Platform.Hydra;

/// <summary>
/// Builds the hydra:ApiDocumentation from the endpoints: each documented operation names the class or
/// link that supports it, and its standard metadata gives what it returns and expects and its statuses.
/// The classes are the resource types the operations return or write; their properties are the
/// resource types' serialized properties (plus those contributed at start), with IRIs from the
/// contexts. Built once at start (<see cref="ApiDocumentationStartupFilter"/>), so a term that does
/// not resolve stops the server from starting.
/// </summary>
public sealed class ApiDocumentationBuilder(ContextCatalog catalog, ApiDescriptionRegistry registry, EndpointDataSource endpoints)
{
    public const string Path = "/api_documentation";

    /// <summary>The JSON-LD keywords every node writes; not properties of its class.</summary>
    private static readonly HashSet<string> NodeKeywords = ["@context", "@type", "id"];

    private sealed record DocumentedEndpoint(RouteEndpoint Endpoint, HydraOperationMetadata Operation, Type? Returns, Type? Expects);

    public ApiDocumentation Build()
    {
        var documented = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HydraOperationMetadata>() is not null)
            .Select(e => new DocumentedEndpoint(e, e.Metadata.GetMetadata<HydraOperationMetadata>()!, ReturnType(e.Metadata), e.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType))
            .ToList();

        var writes = new Writes();
        var resourceTypes = new List<Type>();
        foreach (var endpoint in documented)
        {
            if (endpoint.Returns is { } returns)
            {
                resourceTypes.Add(ResourceTypes.CollectionMemberOf(returns) ?? returns);
            }

            if (endpoint.Expects is { } expects)
            {
                resourceTypes.Add(WrittenResource(expects, endpoint.Endpoint));
                writes.Walk(expects);
            }
        }

        var classes = new Dictionary<string, ApiClass>(StringComparer.Ordinal);
        var links = new Dictionary<string, ApiProperty>(StringComparer.Ordinal);
        foreach (var type in resourceTypes.Distinct())
        {
            var typeName = ResourceTypes.TypeNameOf(type);
            var hydraClass = type.GetCustomAttribute<HydraClassAttribute>()
                ?? throw new InvalidOperationException($"{type.Name} is returned or written by an operation but is not marked [HydraClass].");
            if (classes.ContainsKey(typeName))
            {
                throw new InvalidOperationException($"Two resource types are documented as the class '{typeName}'; mark only the full one [HydraClass].");
            }

            var apiClass = new ApiClass { Id = catalog.ClassIri(typeName), Title = hydraClass.Title, Description = hydraClass.Description };
            foreach (var property in ResourceProperties(type))
            {
                var title = (property.AttributeProvider as MemberInfo)?.GetCustomAttribute<DescriptionAttribute>()?.Description
                    ?? throw new InvalidOperationException($"{type.Name}: the property '{property.Name}' has no [Description] to document it by.");
                var writable = writes.Writable.TryGetValue((typeName, property.Name), out var required);
                Add(apiClass, links, typeName, new PropertyDescription(property.Name, title, writable, required));
            }

            classes[typeName] = apiClass;
        }

        foreach (var (typeName, properties) in registry.Properties)
        {
            var apiClass = classes.GetValueOrDefault(typeName)
                ?? throw new InvalidOperationException($"Properties were contributed to '{typeName}', which no operation returns or writes.");
            foreach (var property in properties)
            {
                Add(apiClass, links, typeName, property);
            }
        }

        foreach (var endpoint in documented)
        {
            var supportedBy = endpoint.Operation.SupportedBy;
            var target = supportedBy.Contains('.') ? Find(links, supportedBy).SupportedOperation : Find(classes, supportedBy).SupportedOperation;
            var described = Describe(endpoint);
            target.Add(described);
            if (described.Method == "GET" && IsCollection(endpoint.Returns) && supportedBy.Contains('.'))
            {
                Find(links, supportedBy).Search = SearchTemplate(described.Route, endpoint.Endpoint.Metadata.GetMetadata<SearchParametersMetadata>());
            }
        }

        return new ApiDocumentation
        {
            Id = Path,
            Title = "Hypermedia API",
            Description = "Business texting over JSON-LD and Hydra. Start at the entry point with a bearer token and follow links.",
            Entrypoint = "/",
            SupportedClass = [.. classes.Values],
        };
    }

    /// <summary>The JSON properties of a resource type, named as serialized, without the node keywords.</summary>
    /// <summary>
    /// The properties a resource type declares. Its extension data (the links areas add to the Account
    /// and the entry point) is documented from the registrations instead.
    /// </summary>
    public static IEnumerable<JsonPropertyInfo> ResourceProperties(Type type) =>
        ApiJson.Response.GetTypeInfo(type).Properties.Where(p => !NodeKeywords.Contains(p.Name) && !p.IsExtensionData);

    /// <summary>
    /// The type an endpoint answers with on success (its 2xx <c>Produces</c> metadata, group's included),
    /// or null when it answers without a body; throws when it declares two.
    /// </summary>
    public static Type? ReturnType(EndpointMetadataCollection metadata)
    {
        var types = metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>()
            .Where(p => p.StatusCode is >= 200 and < 300 && p.Type is not null && p.Type != typeof(void))
            .Select(p => p.Type!)
            .Distinct()
            .ToList();
        return types.Count <= 1
            ? types.SingleOrDefault()
            : throw new InvalidOperationException($"An endpoint declares {types.Count} success types ({string.Join(", ", types.Select(t => t.Name))}); an operation returns one class.");
    }

    public static bool IsCollection(Type? type) => type is not null && ResourceTypes.CollectionMemberOf(type) is not null;

    private static Type WrittenResource(Type requestType, RouteEndpoint endpoint) =>
        requestType.GetCustomAttribute<WritesAttribute>()?.ResourceType
        ?? throw new InvalidOperationException($"{endpoint.DisplayName} accepts {requestType.Name}, which is not marked [Writes<TResource>].");

    private void Add(ApiClass apiClass, Dictionary<string, ApiProperty> links, string typeName, PropertyDescription property)
    {
        var key = typeName + "." + property.Term;
        if (links.ContainsKey(key))
        {
            throw new InvalidOperationException($"The class '{typeName}' documents the property '{property.Term}' twice.");
        }

        var (iri, isLink) = catalog.Term(typeName, property.Term);
        var apiProperty = new ApiProperty { Id = iri, IsLink = isLink };
        apiClass.SupportedProperty.Add(new ApiSupportedProperty
        {
            Property = apiProperty,
            Title = property.Title,
            Writable = property.Writable,
            Required = property.Required,
        });
        links[key] = apiProperty;
    }

    private ApiOperation Describe(DocumentedEndpoint documented)
    {
        var (endpoint, operation, returns, expects) = documented;
        var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
        var statuses = new SortedSet<int>(endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Select(p => p.StatusCode))
        {
            StatusCodes.Status429TooManyRequests,
        };
        if (endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null)
        {
            statuses.Add(StatusCodes.Status401Unauthorized);
        }

        if (expects is not null)
        {
            // What RequestBody answers for any body: malformed, too large, not JSON, invalid fields.
            statuses.UnionWith([400, 413, 415, 422]);
        }

        if (method == "GET" && IsCollection(returns))
        {
            // Every collection takes the OData options, which answer 400 when malformed.
            statuses.Add(StatusCodes.Status400BadRequest);
        }

        return new ApiOperation
        {
            Title = operation.Title,
            Method = method,
            Expects = catalog.ClassIri(expects is null ? "owl:Nothing" : ResourceTypes.TypeNameOf(WrittenResource(expects, endpoint))),
            Returns = catalog.ClassIri(returns is null ? "owl:Nothing" : ResourceTypes.TypeNameOf(returns)),
            // A group's own route ("" under /accounts/{account}) ends in the group's slash; the IRI does not.
            Route = "/" + endpoint.RoutePattern.RawText?.Trim('/'),
            PossibleStatus = [.. statuses.Select(s => new ApiStatus { StatusCode = s, Title = ReasonPhrases.GetReasonPhrase(s) })],
        };
    }

    /// <summary>
    /// Every collection takes the OData options and a paging cursor; some add their own parameters.
    /// Each variable maps to a real property IRI (Hydra's where one fits).
    /// </summary>
    private static IriTemplate SearchTemplate(string route, SearchParametersMetadata? extra)
    {
        string[] variables = [.. extra?.Variables ?? [], "$filter", "$orderby", "$top", "$skip", "$count", CollectionPager.CursorParameter];
        return new IriTemplate
        {
            Template = route + "{?" + string.Join(',', variables) + "}",
            Mapping = [.. variables.Select(v => new IriTemplateMapping { Variable = v, Property = SearchVariableIris[v] })],
        };
    }

    private static readonly Dictionary<string, string> SearchVariableIris = new()
    {
        ["q"] = Contexts.Hydra + "freetextQuery",
        ["$filter"] = Contexts.Vocabulary + "filter",
        ["$orderby"] = Contexts.Vocabulary + "orderBy",
        ["$top"] = Contexts.Hydra + "limit",
        ["$skip"] = Contexts.Hydra + "offset",
        ["$count"] = Contexts.Hydra + "totalItems",
        [CollectionPager.CursorParameter] = Contexts.Hydra + "pageReference",
        ["exact[]"] = "https://schema.org/telephone",
        ["accounts[]"] = Contexts.Vocabulary + "account",
        ["status[]"] = Contexts.Vocabulary + "templateStatus",
        ["title"] = Contexts.Hydra + "title",
        ["user"] = Contexts.Vocabulary + "user",
        ["quality"] = Contexts.Vocabulary + "templateQuality",
    };

    private static T Find<T>(Dictionary<string, T> map, string key) =>
        map.TryGetValue(key, out var found)
            ? found
            : throw new InvalidOperationException($"The API documentation has no '{key}': no operation returns that class, or it has no such property.");

    /// <summary>
    /// Which resource properties the request types write, found from the accepted types down through
    /// their fields: (class, property) → whether a creation requires it.
    /// </summary>
    private sealed class Writes
    {
        private readonly HashSet<Type> seen = [];

        public Dictionary<(string TypeName, string Term), bool> Writable { get; } = [];

        public void Walk(Type requestType)
        {
            if (!seen.Add(requestType))
            {
                return;
            }

            var info = ApiJson.Request.GetTypeInfo(requestType);
            if (info.Kind == JsonTypeInfoKind.Enumerable)
            {
                Walk(info.ElementType!);
                return;
            }

            if (info.Kind != JsonTypeInfoKind.Object)
            {
                return;
            }

            if (requestType.GetCustomAttribute<WritesAttribute>() is { } writes)
            {
                var typeName = ResourceTypes.TypeNameOf(writes.ResourceType);
                var terms = ResourceProperties(writes.ResourceType).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var field in info.Properties.Where(f => (f.AttributeProvider as MemberInfo)?.GetCustomAttribute<InstructionAttribute>() is null))
                {
                    if (!terms.Contains(field.Name))
                    {
                        throw new InvalidOperationException($"{requestType.Name}.{field.Name} writes no property of {writes.ResourceType.Name}.");
                    }

                    var required = (field.AttributeProvider as MemberInfo)?.GetCustomAttribute<RequiredToCreateAttribute>() is not null;
                    Writable[(typeName, field.Name)] = required || Writable.GetValueOrDefault((typeName, field.Name));
                }
            }

            foreach (var field in info.Properties)
            {
                Walk(field.PropertyType);
            }
        }
    }
}
