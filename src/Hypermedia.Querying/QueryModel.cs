using System.Linq.Expressions;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;

namespace Hypermedia.Querying;

/// <summary>What clients may filter and order a collection of <typeparamref name="TEntity"/> by. Build it once (a static field).</summary>
public abstract class QueryModel<TEntity>
{
    private protected QueryModel(string typeName, IReadOnlyList<string> propertyNames)
    {
        TypeName = typeName;
        PropertyNames = propertyNames;
    }

    /// <summary>The EDM type name clients see in error messages (the resource's @type).</summary>
    public string TypeName { get; }

    /// <summary>The top-level JSON names that may be filtered and ordered by.</summary>
    public IReadOnlyList<string> PropertyNames { get; }

    internal abstract ParsedQuery<TEntity> Parse(Microsoft.AspNetCore.Http.HttpRequest request, QueryLimits limits);
}

public static class QueryModel
{
    public const string Namespace = "Hypermedia";

    /// <summary>
    /// A model whose EDM type is <typeparamref name="TRow"/> (properties in lowerCamelCase) and whose rows are
    /// <paramref name="projection"/> of each entity. EF Core inlines the projection, so filters on row members
    /// become SQL on the entity's columns.
    /// </summary>
    public static QueryModel<TEntity> Create<TEntity, TRow>(string typeName, Expression<Func<TEntity, TRow>> projection)
        where TRow : QueryRow<TEntity>
    {
        ArgumentNullException.ThrowIfNull(projection);
        return new RowQueryModel<TEntity, TRow>(typeName, projection, BuildEdmModel<TRow>(typeName));
    }

    private static IEdmModel BuildEdmModel<TRow>(string typeName)
        where TRow : class
    {
        var builder = new ODataConventionModelBuilder { Namespace = Namespace };
        var row = builder.AddComplexType(typeof(TRow));
        row.Name = typeName;
        builder.EnableLowerCamelCase();
        foreach (var type in builder.StructuralTypes)
        {
            // Error messages name types; keep .NET namespaces out of them.
            type.Namespace = Namespace;
        }

        return builder.GetEdmModel();
    }
}

internal sealed class RowQueryModel<TEntity, TRow> : QueryModel<TEntity>
    where TRow : QueryRow<TEntity>
{
    public RowQueryModel(string typeName, Expression<Func<TEntity, TRow>> projection, IEdmModel edmModel)
        : base(typeName, [.. ((IEdmStructuredType)edmModel.FindDeclaredType($"{QueryModel.Namespace}.{typeName}")!).StructuralProperties().Select(p => p.Name)])
    {
        Projection = projection;
        EdmModel = edmModel;
        var row = Expression.Parameter(typeof(TRow), "row");
        EntityOf = Expression.Lambda<Func<TRow, TEntity>>(Expression.Field(row, nameof(QueryRow<TEntity>.Entity)), row);
    }

    public Expression<Func<TEntity, TRow>> Projection { get; }

    public Expression<Func<TRow, TEntity>> EntityOf { get; }

    public IEdmModel EdmModel { get; }

    internal override ParsedQuery<TEntity> Parse(Microsoft.AspNetCore.Http.HttpRequest request, QueryLimits limits) =>
        RowQuery<TEntity, TRow>.Parse(this, request, limits);
}
