using System.Collections.Immutable;
using System.Linq.Expressions;

namespace Hypermedia.Querying;

/// <summary>
/// A bound $filter operand: the null literal, a literal value (kept as a value so it can be converted to the
/// other side's type before it becomes a parameter), or an expression over the entity.
/// </summary>
internal sealed class Operand
{
    public static readonly Operand Null = new(null, null, []);

    private Operand(Expression? expression, object? value, ImmutableArray<Expression> nullRoots)
    {
        Expression = expression;
        Value = value;
        NullRoots = nullRoots;
    }

    public Expression? Expression { get; }

    public object? Value { get; }

    /// <summary>
    /// Nullable text members under a string function call (tolower(x), length(x)): the operand is null exactly when
    /// one of them is, and evaluating it in memory would throw, so comparisons test these members first.
    /// </summary>
    public ImmutableArray<Expression> NullRoots { get; }

    public bool IsNull => Expression is null && Value is null;

    public bool IsLiteral => Value is not null;

    public Type Type => Expression?.Type ?? Value?.GetType() ?? typeof(object);

    /// <summary>What must be non-null before a method may be called on (or with) this operand.</summary>
    public ImmutableArray<Expression> GuardRoots =>
        Expression is null ? []
        : !NullRoots.IsEmpty ? NullRoots
        : ClrTypes.CanBeNull(Expression.Type) ? [Expression]
        : [];

    public static Operand Literal(object value) => new(null, value, []);

    public static Operand Of(Expression expression, ImmutableArray<Expression> nullRoots = default) =>
        new(expression, null, nullRoots.IsDefault ? [] : nullRoots);
}
