using System.Linq.Expressions;
using System.Reflection;

namespace Hypermedia.Querying.Tests;

/// <summary>Looks inside produced expression trees: method calls, inline constants, and literal values behind parameters.</summary>
public static class ExpressionInspector
{
    public static IReadOnlyList<MethodInfo> MethodCalls(Expression expression) => Collect(expression).Calls;

    public static IReadOnlyList<object?> Constants(Expression expression) => Collect(expression).Constants;

    /// <summary>Every literal value: inline constants and the values behind parameter holders (list items flattened).</summary>
    public static IReadOnlyList<object?> Literals(Expression expression)
    {
        var collected = Collect(expression);
        return collected.Constants.Concat(collected.Parameters)
            .SelectMany(v => v is System.Collections.IList list ? list.Cast<object?>() : [v])
            .ToList();
    }

    public static IReadOnlyList<ExpressionType> NodeTypes(Expression expression) => Collect(expression).NodeTypes;

    private static Collector Collect(Expression expression)
    {
        var collector = new Collector();
        collector.Visit(expression);
        return collector;
    }

    private sealed class Collector : ExpressionVisitor
    {
        public List<MethodInfo> Calls { get; } = [];

        public List<object?> Constants { get; } = [];

        public List<ExpressionType> NodeTypes { get; } = [];

        /// <summary>Values read from a member of a constant holder: what EF sends as SQL parameters.</summary>
        public List<object?> Parameters { get; } = [];

        public override Expression? Visit(Expression? node)
        {
            if (node is not null)
            {
                NodeTypes.Add(node.NodeType);
            }

            return base.Visit(node);
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            Calls.Add(node.Method);
            return base.VisitMethodCall(node);
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression is ConstantExpression { Value: { } holder })
            {
                Parameters.Add(node.Member switch
                {
                    PropertyInfo property => property.GetValue(holder),
                    FieldInfo field => field.GetValue(holder),
                    _ => null,
                });
                return node;
            }

            return base.VisitMember(node);
        }

        protected override Expression VisitConstant(ConstantExpression node)
        {
            Constants.Add(node.Value);
            return base.VisitConstant(node);
        }
    }
}
