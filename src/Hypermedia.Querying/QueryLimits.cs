using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Query.Validator;

namespace Hypermedia.Querying;

/// <summary>Bounds on what a single request may ask for, so a hostile query cannot make the server or PostgreSQL work hard.</summary>
public sealed class QueryLimits
{
    /// <summary>The limits used when <see cref="ODataQuery.Parse{TEntity}"/> is given none.</summary>
    public static QueryLimits Default { get; } = new();

    public int MaxTop { get; init; } = 100;

    public int DefaultTop { get; init; } = 25;

    public int MaxSkip { get; init; } = 1_000_000;

    /// <summary>Most nodes (properties, literals, operators, function calls) a $filter may contain; this also bounds its depth.</summary>
    public int MaxNodeCount { get; init; } = 100;

    /// <summary>How deeply any/all lambdas may nest (each is a correlated subquery).</summary>
    public int MaxLambdaDepth { get; init; } = 1;

    public int MaxOrderByClauses { get; init; } = 5;

    /// <summary>Longest $filter or $orderby value, checked before any parsing.</summary>
    public int MaxOptionLength { get; init; } = 4096;

    /// <summary>The library's form of these limits, built once per instance rather than per request.</summary>
    internal ODataValidationSettings ValidationSettings => validationSettings ??= new()
    {
        AllowedQueryOptions = AllowedQueryOptions.Filter | AllowedQueryOptions.OrderBy | AllowedQueryOptions.Top
            | AllowedQueryOptions.Skip | AllowedQueryOptions.Count,
        AllowedFunctions = QueryFunctions.Allowed,
        MaxTop = MaxTop,
        MaxSkip = MaxSkip,
        MaxNodeCount = MaxNodeCount,
        MaxOrderByNodeCount = MaxOrderByClauses,
        MaxAnyAllExpressionDepth = MaxLambdaDepth,
    };

    private ODataValidationSettings? validationSettings;
}
