using System.Linq.Expressions;

namespace Hypermedia.Querying;

/// <summary>The validated query options of one request, ready to apply to an EF Core query (or to rows in memory).</summary>
public abstract class ParsedQuery<TEntity>
{
    private protected ParsedQuery(int top, int skip, bool? count)
    {
        Top = top;
        Skip = skip;
        Count = count;
    }

    public abstract bool HasFilter { get; }

    public abstract bool HasOrderBy { get; }

    /// <summary>$top, or <see cref="QueryLimits.DefaultTop"/> when absent.</summary>
    public int Top { get; }

    /// <summary>$skip, or 0 when absent.</summary>
    public int Skip { get; }

    /// <summary>$count; null when absent.</summary>
    public bool? Count { get; }

    /// <summary>Applies $filter; the source unchanged when it is absent. Throws only <see cref="QueryOptionException"/>.</summary>
    public abstract IQueryable<TEntity> ApplyFilter(IQueryable<TEntity> source);

    /// <summary>
    /// Applies $orderby followed by <paramref name="tieBreaker"/> ascending so paging is stable. When $orderby is
    /// absent the source is returned unchanged so the caller can apply its default order.
    /// </summary>
    /// <remarks>NULLs sort where the provider puts them: PostgreSQL last ascending, first descending.</remarks>
    public abstract IQueryable<TEntity> ApplyOrderBy<TKey>(IQueryable<TEntity> source, Expression<Func<TEntity, TKey>> tieBreaker);
}
