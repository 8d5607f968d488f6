using System.Collections.Immutable;
using System.Linq.Expressions;

namespace Hypermedia.Querying;

/// <summary>
/// Null tests around string function calls, so that in-memory LINQ and SQL agree
/// (SQL would yield NULL, .NET would throw) and OData's "null eq null" rules hold for function results.
/// </summary>
internal static class NullGuards
{
    public static Expression AnyNull(ImmutableArray<Expression> roots) =>
        roots.Select(r => (Expression)Expression.Equal(r, Expression.Constant(null, r.Type))).Aggregate(Expression.OrElse);

    public static Expression AllNotNull(ImmutableArray<Expression> roots) =>
        roots.Select(r => (Expression)Expression.NotEqual(r, Expression.Constant(null, r.Type))).Aggregate(Expression.AndAlso);

    /// <summary><paramref name="body"/> when every root is non-null, false otherwise.</summary>
    public static Expression Guard(Expression body, ImmutableArray<Expression> roots) =>
        roots.IsEmpty ? body : Expression.AndAlso(AllNotNull(roots), body);

    public static ImmutableArray<Expression> Union(ImmutableArray<Expression> left, ImmutableArray<Expression> right) =>
        left.IsEmpty ? right : right.IsEmpty ? left : left.AddRange(right.Where(r => !left.Contains(r)));
}
