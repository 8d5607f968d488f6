using System.Linq.Expressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OData.Query;

namespace Hypermedia.Querying;

/// <summary>
/// Microsoft.AspNetCore.OData does the work: <see cref="ODataQueryOptions{TEntity}"/> parses, <c>Validate</c> enforces
/// the limits, <c>ApplyTo</c> binds to LINQ over the row projection. What is ours: which option an error belongs
/// to, UTC timestamps for PostgreSQL, and the round trip from rows back to entities.
/// </summary>
internal sealed class RowQuery<TEntity, TRow> : ParsedQuery<TEntity>
    where TRow : QueryRow<TEntity>
{
    private readonly RowQueryModel<TEntity, TRow> model;
    private readonly FilterQueryOption? filter;
    private readonly OrderByQueryOption? orderBy;

    private RowQuery(RowQueryModel<TEntity, TRow> model, ODataQueryOptions<TRow>? options, int top, int skip, bool? count)
        : base(top, skip, count)
    {
        this.model = model;
        filter = options?.Filter;
        orderBy = options?.OrderBy;
    }

    public override bool HasFilter => filter is not null;

    public override bool HasOrderBy => orderBy is not null;

    public static RowQuery<TEntity, TRow> Parse(RowQueryModel<TEntity, TRow> model, HttpRequest request, QueryLimits limits)
    {
        var present = QueryOptionReader.Read(request.Query, limits);
        if (present.Count == 0)
        {
            return new RowQuery<TEntity, TRow>(model, null, limits.DefaultTop, 0, null);
        }

        var context = new ODataQueryContext(model.EdmModel, typeof(TRow), path: null);
        context.DefaultQueryConfigurations.EnableFilter = true;
        context.DefaultQueryConfigurations.EnableOrderBy = true;
        context.DefaultQueryConfigurations.EnableCount = true;
        context.DefaultQueryConfigurations.MaxTop = limits.MaxTop;
        var options = QueryErrors.Guard(present[0], model, () => new ODataQueryOptions<TRow>(context, request));
        var settings = limits.ValidationSettings;

        if (options.Filter is { } f)
        {
            QueryErrors.Guard(QueryOptionReader.Filter, model, () =>
            {
                f.Validate(settings);
                ClauseChecks.RequireConditions(f);
            });
        }

        if (options.OrderBy is { } o)
        {
            QueryErrors.Guard(QueryOptionReader.OrderBy, model, () =>
            {
                o.Validate(settings);
                ClauseChecks.RequireRowKeys(o);
            });
        }

        // The library's wording for these names its settings; ours names the rule.
        var top = options.Top is { } t
            ? QueryErrors.Guard(QueryOptionReader.Top, () => $"$top must be an integer between 0 and {limits.MaxTop}.", () => { t.Validate(settings); return t.Value; })
            : limits.DefaultTop;
        var skip = options.Skip is { } s
            ? QueryErrors.Guard(QueryOptionReader.Skip, () => $"$skip must be an integer between 0 and {limits.MaxSkip}.", () => { s.Validate(settings); return s.Value; })
            : 0;
        bool? count = options.Count is { } c
            ? QueryErrors.Guard(QueryOptionReader.Count, () => "$count must be true or false.", () => { c.Validate(settings); return c.Value; })
            : null;
        return new RowQuery<TEntity, TRow>(model, options, top, skip, count);
    }

    public override IQueryable<TEntity> ApplyFilter(IQueryable<TEntity> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (filter is null)
        {
            return source;
        }

        var rows = source.Select(model.Projection);
        var filtered = QueryErrors.Guard(QueryOptionReader.Filter, model,
            () => Literals.Evaluate((IQueryable<TRow>)filter.ApplyTo(rows, QuerySettings(rows))));
        return filtered.Select(model.EntityOf);
    }

    public override IQueryable<TEntity> ApplyOrderBy<TKey>(IQueryable<TEntity> source, Expression<Func<TEntity, TKey>> tieBreaker)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tieBreaker);
        if (orderBy is null)
        {
            return source;
        }

        var rows = source.Select(model.Projection);
        var ordered = QueryErrors.Guard(QueryOptionReader.OrderBy, model,
            () => Literals.Evaluate((IQueryable<TRow>)orderBy.ApplyTo(rows, QuerySettings(rows))));
        var row = model.EntityOf.Parameters[0];
        var rowTieBreaker = Expression.Lambda<Func<TRow, TKey>>(
            ParameterReplacer.Replace(tieBreaker.Body, tieBreaker.Parameters[0], model.EntityOf.Body), row);
        return ((IOrderedQueryable<TRow>)ordered).ThenBy(rowTieBreaker).Select(model.EntityOf);
    }

    // In memory (small embedded lists) null operands must not throw; in SQL, NULL already propagates.
    private static ODataQuerySettings QuerySettings(IQueryable rows) => new()
    {
        EnsureStableOrdering = false,
        EnableConstantParameterization = true,
        HandleNullPropagation = rows is EnumerableQuery ? HandleNullPropagationOption.True : HandleNullPropagationOption.False,
        TimeZone = TimeZoneInfo.Utc,
    };
}
