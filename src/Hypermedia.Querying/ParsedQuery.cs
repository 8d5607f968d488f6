using System.Collections.ObjectModel;
using System.Linq.Expressions;

namespace Hypermedia.Querying;

/// <summary>The validated query options of one request, ready to apply to an EF Core query.</summary>
public sealed class ParsedQuery<TEntity>
{
    private readonly IReadOnlyList<OrderClause<TEntity>> orderBy;

    internal ParsedQuery(
        Expression<Func<TEntity, bool>>? filter,
        IReadOnlyList<OrderClause<TEntity>> orderBy,
        int top,
        int skip,
        bool? count,
        IDictionary<string, string> rawOptions)
    {
        Filter = filter;
        this.orderBy = orderBy;
        OrderBy = orderBy.Select(c => new OrderByItem(c.Property.Name, c.Descending)).ToList().AsReadOnly();
        Top = top;
        Skip = skip;
        Count = count;
        RawOptions = new ReadOnlyDictionary<string, string>(rawOptions);
    }

    /// <summary>The $filter predicate; null when $filter is absent.</summary>
    public Expression<Func<TEntity, bool>>? Filter { get; }

    public bool HasOrderBy => orderBy.Count > 0;

    /// <summary>The $orderby clauses by JSON property name, e.g. for building keyset cursors; empty when absent.</summary>
    public IReadOnlyList<OrderByItem> OrderBy { get; }

    /// <summary>$top, or <see cref="QueryLimits.DefaultTop"/> when absent.</summary>
    public int Top { get; }

    /// <summary>$skip, or 0 when absent.</summary>
    public int Skip { get; }

    /// <summary>$count; null when absent.</summary>
    public bool? Count { get; }

    /// <summary>The options that were present, by lower-case name ("$filter"), with their raw values, for next/previous links.</summary>
    public IReadOnlyDictionary<string, string> RawOptions { get; }

    public IQueryable<TEntity> ApplyFilter(IQueryable<TEntity> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Filter is null ? source : source.Where(Filter);
    }

    /// <summary>
    /// Applies $orderby (OrderBy, then ThenBy per clause) followed by <paramref name="tieBreaker"/> ascending so paging
    /// is stable. When $orderby is absent the source is returned unchanged so the caller can apply its default order.
    /// </summary>
    /// <remarks>
    /// NULLs sort where the provider puts them: PostgreSQL last in ascending order and first in descending order
    /// (LINQ-to-objects does the opposite). No extra sort key is added, so ordinary indexes stay usable.
    /// </remarks>
    public IQueryable<TEntity> ApplyOrderBy<TKey>(IQueryable<TEntity> source, Expression<Func<TEntity, TKey>> tieBreaker)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tieBreaker);
        if (orderBy.Count == 0)
        {
            return source;
        }

        var ordered = orderBy[0].Property.OrderBy(source, orderBy[0].Descending);
        foreach (var clause in orderBy.Skip(1))
        {
            ordered = clause.Property.ThenBy(ordered, clause.Descending);
        }

        return ordered.ThenBy(tieBreaker);
    }
}
