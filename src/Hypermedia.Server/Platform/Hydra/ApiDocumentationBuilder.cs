using Hypermedia.JsonLd;
using Hypermedia.Server.Platform.Collections;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.WebUtilities;

namespace Hypermedia.Server.Platform.Hydra;

/// <summary>
/// Builds the hydra:ApiDocumentation from the classes the features declared and the operations their
/// endpoints carry, so a route cannot exist without being documented (a test checks every route).
/// </summary>
public sealed class ApiDocumentationBuilder(ContextCatalog catalog, ApiDescriptionRegistry registry, EndpointDataSource endpoints)
{
    public const string Path = "/api_documentation";

    public ApiDocumentation Build()
    {
        var classes = new Dictionary<string, ApiClass>(StringComparer.Ordinal);
        var links = new Dictionary<string, ApiProperty>(StringComparer.Ordinal);
        // Declared classes first, then the properties other areas add to them.
        foreach (var description in registry.Classes.OrderBy(d => d.IsExtension))
        {
            var apiClass = description.IsExtension ? Find(classes, description.TypeName) : new ApiClass
            {
                Id = catalog.ClassIri(description.TypeName),
                Title = description.Title,
                Description = description.Description,
            };
            foreach (var property in description.Properties)
            {
                var (iri, isLink) = catalog.Term(description.TypeName, property.Term);
                var apiProperty = new ApiProperty { Id = iri, IsLink = isLink };
                apiClass.SupportedProperty.Add(new ApiSupportedProperty
                {
                    Property = apiProperty,
                    Title = property.Title,
                    Writable = property.Writable,
                    Required = property.Required,
                });
                links[description.TypeName + "." + property.Term] = apiProperty;
            }

            classes[description.TypeName] = apiClass;
        }

        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<HydraOperationMetadata>() is not { } operation)
            {
                continue;
            }

            var target = operation.SupportedBy.Contains('.')
                ? Find(links, operation.SupportedBy).SupportedOperation
                : Find(classes, operation.SupportedBy).SupportedOperation;
            var described = Describe(endpoint, operation);
            target.Add(described);
            if (described.Method == "GET" && operation.Returns == "hydra:Collection" && operation.SupportedBy.Contains('.'))
            {
                Find(links, operation.SupportedBy).Search = SearchTemplate(described.Route, endpoint.Metadata.GetMetadata<SearchParametersMetadata>());
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

    private ApiOperation Describe(RouteEndpoint endpoint, HydraOperationMetadata operation)
    {
        var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
        var statuses = new SortedSet<int>(operation.Statuses) { StatusCodes.Status429TooManyRequests };
        if (endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null)
        {
            statuses.Add(StatusCodes.Status401Unauthorized);
        }

        if (operation.Expects is not null)
        {
            statuses.UnionWith([400, 413, 415, 422]);
        }

        return new ApiOperation
        {
            Title = operation.Title,
            Method = method,
            Expects = catalog.ClassIri(operation.Expects ?? "owl:Nothing"),
            Returns = catalog.ClassIri(operation.Returns),
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
    };

    private static T Find<T>(Dictionary<string, T> map, string key) =>
        map.TryGetValue(key, out var found)
            ? found
            : throw new InvalidOperationException($"The API documentation has no '{key}': declare it with DescribeClasses.");
}
