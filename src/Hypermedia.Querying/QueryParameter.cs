using System.Linq.Expressions;

namespace Hypermedia.Querying;

/// <summary>
/// A value as EF Core turns it into a SQL parameter: a member of a constant holder object. A value inlined with
/// <see cref="Expression.Constant(object)"/> becomes SQL text instead, and each distinct value a new compiled
/// query and a new plan.
/// </summary>
public static class QueryParameter
{
    public static Expression For(object? value, Type type) =>
        Expression.Property(
            Expression.Constant(Activator.CreateInstance(typeof(Holder<>).MakeGenericType(type), value)),
            nameof(Holder<int>.Value));

    private sealed class Holder<T>(T value)
    {
        public T Value { get; } = value;
    }
}
