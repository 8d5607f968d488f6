using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Hypermedia.Querying;

/// <summary>The EDM view of a <see cref="QueryModel{TEntity}"/> plus the lookups the binders need.</summary>
internal sealed class EdmQueryModel<TEntity>(
    IEdmModel model,
    IEdmEntityType entityType,
    IEdmEntitySet entitySet,
    IReadOnlyDictionary<string, PropertyMap<TEntity>> properties,
    IReadOnlyList<string> propertyNames)
{
    public IEdmModel Model { get; } = model;

    public IEdmEntityType EntityType { get; } = entityType;

    public IEdmEntitySet EntitySet { get; } = entitySet;

    public IReadOnlyDictionary<string, PropertyMap<TEntity>> Properties { get; } = properties;

    /// <summary>"name, createdAt", for error messages.</summary>
    public string KnownProperties { get; } = propertyNames.Count == 0 ? "(none)" : string.Join(", ", propertyNames);

    /// <summary>A parser that sees only the one option, so another option's error cannot surface under its name.</summary>
    public ODataQueryOptionParser CreateParser(string option, string value) =>
        new(Model, EntityType, EntitySet, new Dictionary<string, string> { [option] = value });
}
