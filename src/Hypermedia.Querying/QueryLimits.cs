namespace Hypermedia.Querying;

/// <summary>Bounds on what a single request may ask for, so a hostile query cannot make the server work hard.</summary>
public sealed class QueryLimits
{
    /// <summary>The limits used when <see cref="ODataQuery.Parse{TEntity}"/> is given none.</summary>
    public static QueryLimits Default { get; } = new();

    public int MaxTop { get; init; } = 100;

    public int DefaultTop { get; init; } = 25;

    public int MaxSkip { get; init; } = 1_000_000;

    /// <summary>Most terms (properties, literals, operators, function calls) a $filter may contain.</summary>
    public int MaxNodeCount { get; init; } = 100;

    /// <summary>Deepest nesting of a $filter; chains of the same and/or count as one level.</summary>
    public int MaxDepth { get; init; } = 20;

    public int MaxOrderByClauses { get; init; } = 5;

    /// <summary>Longest $filter or $orderby value, checked before any parsing.</summary>
    public int MaxOptionLength { get; init; } = 4096;
}
