using System.Linq.Expressions;

namespace Hypermedia.Querying;

/// <summary>$filter: raw-text limits, ODL parsing, tree limits, then binding.</summary>
internal static class FilterOption
{
    public const string Name = "$filter";

    public static Expression<Func<TEntity, bool>> Parse<TEntity>(EdmQueryModel<TEntity> model, string value, QueryLimits limits)
    {
        OptionChecks.CheckText(Name, value, limits);

        // Refused before ODL: its parser and binder recurse per term and per parenthesis.
        var shape = QueryText.Measure(value);
        if (shape.MaxNesting > limits.MaxDepth)
        {
            throw QueryTreeMeasure.TooDeep(limits);
        }

        if (shape.Terms > limits.MaxNodeCount)
        {
            throw QueryTreeMeasure.TooComplex(limits);
        }

        return OptionChecks.Guarded(Name, value, model.KnownProperties, () =>
        {
            var clause = model.CreateParser(Name, value).ParseFilter()
                ?? throw new QueryOptionException(Name, "$filter must not be empty.");
            QueryTreeMeasure.Check(clause.Expression, limits);
            return FilterBinder<TEntity>.Bind(model, clause.Expression, value);
        });
    }
}
