using System.Linq.Expressions;
using Microsoft.OData.Edm;

namespace Hypermedia.Querying;

/// <summary>One JSON property of a resource and the entity expression it stands for.</summary>
internal abstract class PropertyMap<TEntity>(string name, LambdaExpression selector, EdmPrimitiveTypeKind edmKind, bool isNullable)
{
    public string Name { get; } = name;

    public Type ClrType => selector.ReturnType;

    public EdmPrimitiveTypeKind EdmKind { get; } = edmKind;

    public bool IsNullable { get; } = isNullable;

    public Expression BodyFor(ParameterExpression parameter) =>
        ParameterReplacer.Replace(selector.Body, selector.Parameters[0], parameter);

    // Ordering is done here, where TValue is known, so no generic method has to be built by reflection.
    public abstract IOrderedQueryable<TEntity> OrderBy(IQueryable<TEntity> source, bool descending);

    public abstract IOrderedQueryable<TEntity> ThenBy(IOrderedQueryable<TEntity> source, bool descending);
}

internal sealed class PropertyMap<TEntity, TValue>(string name, Expression<Func<TEntity, TValue>> selector, EdmPrimitiveTypeKind edmKind, bool isNullable)
    : PropertyMap<TEntity>(name, selector, edmKind, isNullable)
{
    public override IOrderedQueryable<TEntity> OrderBy(IQueryable<TEntity> source, bool descending) =>
        descending ? source.OrderByDescending(selector) : source.OrderBy(selector);

    public override IOrderedQueryable<TEntity> ThenBy(IOrderedQueryable<TEntity> source, bool descending) =>
        descending ? source.ThenByDescending(selector) : source.ThenBy(selector);
}
