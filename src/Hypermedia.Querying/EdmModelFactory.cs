using Microsoft.OData.Edm;

namespace Hypermedia.Querying;

/// <summary>Builds the one-entity EDM model ODL needs to parse $filter and $orderby.</summary>
internal static class EdmModelFactory
{
    public const string Namespace = "Hypermedia";

    public static EdmQueryModel<TEntity> Create<TEntity>(string typeName, IReadOnlyList<PropertyMap<TEntity>> properties)
    {
        var model = new EdmModel();
        var type = new EdmEntityType(Namespace, typeName);
        var edmProperties = properties
            .Select(p => (Map: p, Edm: type.AddStructuralProperty(p.Name, p.EdmKind, p.IsNullable)))
            .ToList();

        // ODL does not use the key for $filter/$orderby, but an entity type without one is not valid EDM.
        var key = edmProperties.FirstOrDefault(p => !p.Map.IsNullable).Edm ?? edmProperties.FirstOrDefault().Edm;
        if (key is not null)
        {
            type.AddKeys(key);
        }

        model.AddElement(type);
        var container = new EdmEntityContainer(Namespace, "Container");
        var set = container.AddEntitySet(typeName, type);
        model.AddElement(container);

        return new EdmQueryModel<TEntity>(
            model,
            type,
            set,
            properties.ToDictionary(p => p.Name, StringComparer.Ordinal),
            properties.Select(p => p.Name).ToList());
    }
}
