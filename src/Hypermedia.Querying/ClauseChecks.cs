using Microsoft.AspNetCore.OData.Query;
using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace Hypermedia.Querying;

/// <summary>
/// Shapes the library accepts but that mean nothing for a collection: a sort key that reads no row
/// (<c>$orderby=1</c>: sorts nothing, and EF cannot translate it) and a null where a condition belongs
/// (<c>$filter=null</c>). Refused with the other errors of their option.
/// </summary>
internal static class ClauseChecks
{
    public static void RequireRowKeys(OrderByQueryOption orderBy)
    {
        for (var clause = orderBy.OrderByClause; clause is not null; clause = clause.ThenBy)
        {
            if (!ReadsTheRow(clause.Expression))
            {
                throw new ODataException("Each $orderby clause must name a property, or an expression over properties.");
            }
        }
    }

    public static void RequireConditions(FilterQueryOption filter)
    {
        if (HasNullCondition(filter.FilterClause.Expression))
        {
            throw new ODataException("null cannot be used as a condition; compare a property with null instead (businessName eq null).");
        }
    }

    private static bool HasNullCondition(QueryNode node) => node switch
    {
        ConstantNode { Value: null } => true,
        ConvertNode convert => HasNullCondition(convert.Source),
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not => HasNullCondition(not.Operand),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And or BinaryOperatorKind.Or } logic =>
            HasNullCondition(logic.Left) || HasNullCondition(logic.Right),
        _ => false,
    };

    private static bool ReadsTheRow(QueryNode node) => node switch
    {
        ConstantNode or CollectionConstantNode or ParameterAliasNode => false,
        ConvertNode convert => ReadsTheRow(convert.Source),
        UnaryOperatorNode unary => ReadsTheRow(unary.Operand),
        BinaryOperatorNode binary => ReadsTheRow(binary.Left) || ReadsTheRow(binary.Right),
        SingleValueFunctionCallNode call => call.Parameters.Any(ReadsTheRow),
        _ => true,
    };
}
