using System.Linq.Expressions;
using System.Reflection;

namespace Hypermedia.Querying;

/// <summary>The OData string functions $filter supports, each mapped to a .NET call EF Core translates.</summary>
internal static class FilterFunctions
{
    public static readonly IReadOnlyList<string> Names = ["contains", "startswith", "endswith", "tolower", "toupper", "trim", "length"];

    private static readonly MethodInfo ContainsMethod = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StartsWithMethod = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo EndsWithMethod = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string)])!;
    private static readonly MethodInfo ToLowerMethod = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
    private static readonly MethodInfo ToUpperMethod = typeof(string).GetMethod(nameof(string.ToUpper), Type.EmptyTypes)!;
    private static readonly MethodInfo TrimMethod = typeof(string).GetMethod(nameof(string.Trim), Type.EmptyTypes)!;

    public static int Arity(string name) => name is "contains" or "startswith" or "endswith" ? 2 : 1;

    /// <summary>
    /// Binds a call whose arguments are already bound non-null text. Calls on literals only are evaluated here,
    /// with ordinal/invariant semantics, so culture-sensitive .NET code never runs inside EF's parameter evaluation.
    /// </summary>
    public static Operand Bind(string name, IReadOnlyList<Operand> args)
    {
        var first = args[0];
        if (Arity(name) == 2)
        {
            var second = args[1];
            if (first.IsLiteral && second.IsLiteral)
            {
                return Operand.Literal(Fold(name, (string)first.Value!, (string)second.Value!));
            }

            var call = Expression.Call(Text(first), PredicateMethod(name), Text(second));
            return Operand.Of(NullGuards.Guard(call, NullGuards.Union(first.GuardRoots, second.GuardRoots)));
        }

        if (first.IsLiteral)
        {
            return Operand.Literal(Fold(name, (string)first.Value!));
        }

        Expression result = name == "length"
            ? Expression.Property(first.Expression!, nameof(string.Length))
            : Expression.Call(first.Expression!, name switch { "tolower" => ToLowerMethod, "toupper" => ToUpperMethod, _ => TrimMethod });
        return Operand.Of(result, first.GuardRoots);
    }

    private static Expression Text(Operand operand) =>
        operand.Expression ?? Literals.Parameter(operand.Value, typeof(string));

    private static MethodInfo PredicateMethod(string name) => name switch
    {
        "contains" => ContainsMethod,
        "startswith" => StartsWithMethod,
        _ => EndsWithMethod,
    };

    private static bool Fold(string name, string value, string argument) => name switch
    {
        "contains" => value.Contains(argument, StringComparison.Ordinal),
        "startswith" => value.StartsWith(argument, StringComparison.Ordinal),
        _ => value.EndsWith(argument, StringComparison.Ordinal),
    };

    private static object Fold(string name, string value) => name switch
    {
        "tolower" => value.ToLowerInvariant(),
        "toupper" => value.ToUpperInvariant(),
        "trim" => value.Trim(),
        _ => value.Length,
    };
}
