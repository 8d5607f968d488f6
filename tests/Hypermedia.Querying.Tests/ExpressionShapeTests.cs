using System.Linq.Expressions;
using System.Reflection;

namespace Hypermedia.Querying.Tests;

/// <summary>The produced trees use only constructs EF Core translates to SQL (no client evaluation).</summary>
public sealed class ExpressionShapeTests
{
    private static readonly MethodInfo[] AllowedStringMethods =
    [
        typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!,
        typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!,
        typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string)])!,
        typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!,
        typeof(string).GetMethod(nameof(string.ToUpper), Type.EmptyTypes)!,
        typeof(string).GetMethod(nameof(string.Trim), Type.EmptyTypes)!,
    ];

    private static readonly MethodInfo EnumerableContains = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2);

    private static readonly ExpressionType[] AllowedNodeTypes =
    [
        ExpressionType.Lambda, ExpressionType.Parameter, ExpressionType.MemberAccess, ExpressionType.Constant,
        ExpressionType.Call, ExpressionType.Convert, ExpressionType.Not,
        ExpressionType.AndAlso, ExpressionType.OrElse,
        ExpressionType.Equal, ExpressionType.NotEqual,
        ExpressionType.GreaterThan, ExpressionType.GreaterThanOrEqual, ExpressionType.LessThan, ExpressionType.LessThanOrEqual,
    ];

    [Theory]
    [MemberData(nameof(RepresentativeFilters.All), MemberType = typeof(RepresentativeFilters))]
    public void Only_allowed_method_calls(string filter)
    {
        var expression = Contacts.Parse(("$filter", filter)).Filter!;

        Assert.All(ExpressionInspector.MethodCalls(expression), method => Assert.True(
            AllowedStringMethods.Contains(method) || (method.IsGenericMethod && method.GetGenericMethodDefinition() == EnumerableContains),
            $"{method.DeclaringType?.Name}.{method.Name} is not an allowed call"));
    }

    [Theory]
    [MemberData(nameof(RepresentativeFilters.All), MemberType = typeof(RepresentativeFilters))]
    public void Only_allowed_node_types(string filter)
    {
        var expression = Contacts.Parse(("$filter", filter)).Filter!;

        Assert.All(ExpressionInspector.NodeTypes(expression), type => Assert.Contains(type, AllowedNodeTypes));
        Assert.Single(ExpressionInspector.NodeTypes(expression), type => type == ExpressionType.Lambda);
    }

    [Theory]
    [MemberData(nameof(RepresentativeFilters.All), MemberType = typeof(RepresentativeFilters))]
    public void Date_time_values_are_utc(string filter)
    {
        var literals = ExpressionInspector.Literals(Contacts.Parse(("$filter", filter)).Filter!);

        Assert.All(literals.OfType<DateTimeOffset>(), value => Assert.Equal(TimeSpan.Zero, value.Offset));
        Assert.All(literals.OfType<DateTime>(), value => Assert.Equal(DateTimeKind.Utc, value.Kind));
    }

    [Theory]
    [MemberData(nameof(RepresentativeFilters.All), MemberType = typeof(RepresentativeFilters))]
    public void Runs_in_memory_without_throwing(string filter)
    {
        var query = Contacts.Parse(("$filter", filter));

        _ = query.ApplyFilter(Contacts.All().AsQueryable()).ToList();
    }
}
