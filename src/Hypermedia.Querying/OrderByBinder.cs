using Microsoft.OData.UriParser;

namespace Hypermedia.Querying;

/// <summary>$orderby: a comma-separated list of known property names, each optionally followed by asc or desc.</summary>
internal static class OrderByBinder
{
    public const string Name = "$orderby";

    public static IReadOnlyList<OrderClause<TEntity>> Parse<TEntity>(EdmQueryModel<TEntity> model, string value, QueryLimits limits)
    {
        OptionChecks.CheckText(Name, value, limits);
        var shape = QueryText.Measure(value);
        if (shape.TopLevelItems > limits.MaxOrderByClauses || shape.Terms > 2 * limits.MaxOrderByClauses)
        {
            throw TooMany(limits);
        }

        if (shape.MaxNesting > limits.MaxDepth)
        {
            throw OnlyProperties(model, null);
        }

        return OptionChecks.Guarded(Name, value, model.KnownProperties, () =>
        {
            var clauses = new List<OrderClause<TEntity>>();
            for (var clause = model.CreateParser(Name, value).ParseOrderBy(); clause is not null; clause = clause.ThenBy)
            {
                if (clauses.Count == limits.MaxOrderByClauses)
                {
                    throw TooMany(limits);
                }

                if (clause.Expression is not SingleValuePropertyAccessNode { Source: ResourceRangeVariableReferenceNode } access
                    || !model.Properties.TryGetValue(access.Property.Name, out var property))
                {
                    throw OnlyProperties(model, QueryText.ItemStart(value, clauses.Count));
                }

                clauses.Add(new OrderClause<TEntity>(property, clause.Direction == OrderByDirection.Descending));
            }

            return clauses.Count > 0 ? clauses : throw new QueryOptionException(Name, "$orderby must not be empty.");
        });
    }

    private static QueryOptionException TooMany(QueryLimits limits) =>
        new(Name, $"$orderby may have at most {limits.MaxOrderByClauses} clauses.");

    private static QueryOptionException OnlyProperties<TEntity>(EdmQueryModel<TEntity> model, int? position) =>
        new(Name, $"$orderby{Messages.At(position)} accepts only property names, each optionally followed by asc or desc; known properties: {model.KnownProperties}.", position);
}

/// <summary>One bound $orderby clause.</summary>
internal sealed record OrderClause<TEntity>(PropertyMap<TEntity> Property, bool Descending);
