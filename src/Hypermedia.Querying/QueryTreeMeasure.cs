using Microsoft.OData.UriParser;

namespace Hypermedia.Querying;

/// <summary>Enforces <see cref="QueryLimits.MaxNodeCount"/> and <see cref="QueryLimits.MaxDepth"/> on a parsed $filter.</summary>
internal sealed class QueryTreeMeasure(QueryLimits limits)
{
    private int count;

    public static void Check(SingleValueNode root, QueryLimits limits) => new QueryTreeMeasure(limits).Visit(root, 1);

    private void Visit(QueryNode node, int depth)
    {
        // ODL's conversions are bookkeeping, not something the client wrote.
        if (node is ConvertNode convert)
        {
            Visit(convert.Source, depth);
            return;
        }

        if (++count > limits.MaxNodeCount)
        {
            throw TooComplex(limits);
        }

        if (depth > limits.MaxDepth)
        {
            throw TooDeep(limits);
        }

        switch (node)
        {
            case BinaryOperatorNode binary:
                // "a or b or c" is one level to the reader, however ODL nests it.
                Visit(binary.Left, SameChain(binary, binary.Left) ? depth : depth + 1);
                Visit(binary.Right, SameChain(binary, binary.Right) ? depth : depth + 1);
                break;
            case UnaryOperatorNode unary:
                Visit(unary.Operand, depth + 1);
                break;
            case SingleValueFunctionCallNode function:
                foreach (var parameter in function.Parameters)
                {
                    Visit(parameter, depth + 1);
                }

                break;
            case InNode @in:
                Visit(@in.Left, depth + 1);
                Visit(@in.Right, depth + 1);
                break;
            case CollectionConstantNode list:
                foreach (var item in list.Collection)
                {
                    Visit(item, depth + 1);
                }

                break;
        }
    }

    private static bool SameChain(BinaryOperatorNode parent, SingleValueNode child) =>
        parent.OperatorKind is BinaryOperatorKind.And or BinaryOperatorKind.Or
        && Unwrap(child) is BinaryOperatorNode inner && inner.OperatorKind == parent.OperatorKind;

    private static SingleValueNode Unwrap(SingleValueNode node) => node is ConvertNode convert ? Unwrap(convert.Source) : node;

    public static QueryOptionException TooComplex(QueryLimits limits) =>
        new("$filter", $"$filter is too complex; at most {limits.MaxNodeCount} terms are allowed.");

    public static QueryOptionException TooDeep(QueryLimits limits) =>
        new("$filter", $"$filter is nested too deeply; at most {limits.MaxDepth} levels are allowed.");
}
