using Hypermedia.JsonLd;
using Microsoft.AspNetCore.Http.Metadata;

namespace Hypermedia.Server.Platform.Hydra;

/// <summary>
/// Makes a resource type a documented Hydra class. Its class name is the type's <c>@type</c>; its
/// supported properties are its serialized properties, each titled by its
/// <see cref="System.ComponentModel.DescriptionAttribute"/>. Smaller forms of the same class
/// (e.g. a reference embedded elsewhere) carry no attribute: the test suite checks they add no property.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class HydraClassAttribute(string title, string description) : Attribute
{
    public string Title { get; } = title;

    public string Description { get; } = description;
}

/// <summary>
/// Marks a request body as a write to a resource: an operation that accepts it (<c>AcceptsBody</c>) expects that
/// resource's class, and each of its fields marks the resource property of the same name writable.
/// Found on nested request types too (a membership inside a user request).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public abstract class WritesAttribute : Attribute
{
    public abstract Type ResourceType { get; }
}

/// <inheritdoc cref="WritesAttribute"/>
public sealed class WritesAttribute<TResource> : WritesAttribute
    where TResource : Resource
{
    public override Type ResourceType => typeof(TResource);
}

/// <summary>
/// A request field the server refuses to create without (hydra:required on the property it writes).
/// Documentation only: the feature's rules enforce it. On a positional record, target the property:
/// <c>[property: RequiredToCreate]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredToCreateAttribute : Attribute;

/// <summary>
/// A request field that instructs the server rather than writing a property of the resource (which
/// user's account a message goes out from): not documented as a property; the operation's title says
/// what it does. On a positional record, target the property: <c>[property: Instruction]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class InstructionAttribute : Attribute;

/// <summary>
/// A property a class supports that its resource type does not declare, contributed at start
/// (e.g. an area's link on the account). Its IRI comes from the class's context like any other.
/// </summary>
public sealed record PropertyDescription(string Term, string Title, bool Writable = false, bool Required = false);

/// <summary>
/// Endpoint metadata that makes a route a documented Hydra operation. <see cref="SupportedBy"/> is a
/// type name ("Account": an operation on every Account) or "Type.term" (an operation on the resource
/// that link leads to, e.g. "Account.users"). What it returns and expects, and its statuses, come from
/// the endpoint's standard metadata (<c>Produces</c>, <c>ProducesProblem</c>, <see cref="IAcceptsMetadata"/>).
/// </summary>
public sealed record HydraOperationMetadata(string SupportedBy, string Title);

/// <summary>
/// Marks a route that machines other than API clients call (a carrier's webhooks), so it is no operation
/// of the hypermedia API: not in its documentation, and no client finds it by following links.
/// </summary>
public sealed record OutsideTheApiMetadata(string CalledBy);

/// <summary>
/// The request type an endpoint reads its body as (<see cref="IAcceptsMetadata"/>), without media types:
/// <see cref="Http.RequestBody"/> checks those (every JSON type, TextUs' included; one 415 problem for
/// the rest), and routing's content-type policy, which applies only when media types are listed, must
/// not answer first.
/// </summary>
public sealed record RequestBodyMetadata(Type RequestType) : IAcceptsMetadata
{
    IReadOnlyList<string> IAcceptsMetadata.ContentTypes => [];

    bool IAcceptsMetadata.IsOptional => false;
}

/// <summary>Query parameters a collection endpoint takes beyond the OData options every collection takes ("q", "exact[]").</summary>
public sealed record SearchParametersMetadata(params string[] Variables);

/// <summary>Properties contributed at start, read when the API documentation is built.</summary>
public sealed class ApiDescriptionRegistry
{
    private readonly Dictionary<string, List<PropertyDescription>> properties = new(StringComparer.Ordinal);

    /// <summary>The contributed properties, by the type name of the class that supports them.</summary>
    public IReadOnlyDictionary<string, List<PropertyDescription>> Properties => properties;

    public void AddProperty(string typeName, PropertyDescription property)
    {
        if (!properties.TryGetValue(typeName, out var list))
        {
            properties[typeName] = list = [];
        }

        list.Add(property);
    }
}

public static class HydraEndpointExtensions
{
    /// <summary>
    /// Documents the endpoint as a Hydra operation. Method and route come from the endpoint; returns,
    /// expects and statuses from its <c>Produces</c>, <c>ProducesProblem</c> and <c>AcceptsBody</c> (<see cref="IAcceptsMetadata"/>) metadata,
    /// its group's included.
    /// </summary>
    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder builder, string supportedBy, string title) =>
        builder.WithMetadata(new HydraOperationMetadata(supportedBy, title));

    /// <summary>The route is called by <paramref name="calledBy"/>, not by API clients (see <see cref="OutsideTheApiMetadata"/>).</summary>
    public static RouteHandlerBuilder OutsideTheApi(this RouteHandlerBuilder builder, string calledBy) =>
        builder.WithMetadata(new OutsideTheApiMetadata(calledBy)).ExcludeFromDescription();

    /// <summary><c>ProducesProblem</c> for each status: the problem documents an endpoint (or a group) can answer.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>The endpoint reads its body as <typeparamref name="TRequest"/>, a type marked <see cref="WritesAttribute"/>: the operation's hydra:expects.</summary>
    public static RouteHandlerBuilder AcceptsBody<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : notnull =>
        builder.WithMetadata(new RequestBodyMetadata(typeof(TRequest)));

    /// <summary>Declares the collection's own search parameters for its hydra:search template.</summary>
    public static RouteHandlerBuilder Searchable(this RouteHandlerBuilder builder, params string[] variables) =>
        builder.WithMetadata(new SearchParametersMetadata(variables));

    /// <summary>Adds properties to a documented class that its resource type does not declare.</summary>
    public static IEndpointRouteBuilder DescribeProperties(this IEndpointRouteBuilder endpoints, string typeName, params PropertyDescription[] properties)
    {
        var registry = endpoints.ServiceProvider.GetRequiredService<ApiDescriptionRegistry>();
        foreach (var property in properties)
        {
            registry.AddProperty(typeName, property);
        }

        return endpoints;
    }
}
