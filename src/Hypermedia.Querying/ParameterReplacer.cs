using System.Linq.Expressions;

namespace Hypermedia.Querying;

/// <summary>Inlines a property selector's body into the filter lambda, so EF sees plain member access.</summary>
internal sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
{
    public static Expression Replace(Expression body, ParameterExpression from, Expression to) =>
        new ParameterReplacer(from, to).Visit(body);

    protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
}
