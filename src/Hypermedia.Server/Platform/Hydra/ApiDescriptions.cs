namespace Hypermedia.Server.Platform.Hydra;

/// <summary>A class the API serves, as a feature declares it: terms only; IRIs come from its context.</summary>
public sealed record ClassDescription(string TypeName, string Title, string Description, params PropertyDescription[] Properties)
{
    /// <summary>Properties another area adds to a class declared elsewhere (links on the Account).</summary>
    public static ClassDescription Extension(string typeName, PropertyDescription[] properties) => new(typeName, "", "", properties);

    public bool IsExtension => Title.Length == 0;
}

public sealed record PropertyDescription(string Term, string Title, bool Writable = false, bool Required = false);

/// <summary>
/// Endpoint metadata that makes a route a documented Hydra operation. <see cref="SupportedBy"/> is a
/// type name ("Account": an operation on every Account) or "Type.term" (an operation on the resource
/// that link leads to, e.g. "Account.users").
/// </summary>
public sealed record HydraOperationMetadata(string SupportedBy, string Title, string Returns, string? Expects, int[] Statuses);

/// <summary>Query parameters a collection endpoint takes beyond the OData options every collection takes ("q", "exact[]").</summary>
public sealed record SearchParametersMetadata(params string[] Variables);

/// <summary>What the features declared at start, read when the API documentation is built.</summary>
public sealed class ApiDescriptionRegistry
{
    public List<ClassDescription> Classes { get; } = [];
}

public static class HydraEndpointExtensions
{
    /// <summary>Documents the endpoint as a Hydra operation (method and route come from the endpoint itself).</summary>
    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder builder, string supportedBy, string title,
        string returns, string? expects = null, params int[] statuses) =>
        builder.WithMetadata(new HydraOperationMetadata(supportedBy, title, returns, expects, statuses));

    /// <summary>Declares the collection's own search parameters for its hydra:search template.</summary>
    public static RouteHandlerBuilder Searchable(this RouteHandlerBuilder builder, params string[] variables) =>
        builder.WithMetadata(new SearchParametersMetadata(variables));

    public static IEndpointRouteBuilder DescribeClasses(this IEndpointRouteBuilder endpoints, params ClassDescription[] classes)
    {
        endpoints.ServiceProvider.GetRequiredService<ApiDescriptionRegistry>().Classes.AddRange(classes);
        return endpoints;
    }
}
