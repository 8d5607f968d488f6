namespace Hypermedia.Querying;

/// <summary>Entry point: OData query options of a request to a <see cref="ParsedQuery{TEntity}"/>.</summary>
public static class ODataQuery
{
    /// <summary>
    /// Parses the '$' options of <paramref name="queryString"/> ($filter, $orderby, $top, $skip, $count; other names are
    /// ignored). For any client input, the only exception thrown is <see cref="QueryOptionException"/>.
    /// </summary>
    public static ParsedQuery<TEntity> Parse<TEntity>(
        QueryModel<TEntity> model,
        IEnumerable<KeyValuePair<string, string?>> queryString,
        QueryLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(queryString);
        limits ??= QueryLimits.Default;

        var options = QueryOptionReader.Read(queryString);
        var top = options.TryGetValue(QueryOptionReader.Top, out var topText)
            ? PagingOptions.ParseTop(topText, limits)
            : Math.Clamp(limits.DefaultTop, 0, Math.Max(0, limits.MaxTop));
        var skip = options.TryGetValue(QueryOptionReader.Skip, out var skipText) ? PagingOptions.ParseSkip(skipText, limits) : 0;
        bool? count = options.TryGetValue(QueryOptionReader.Count, out var countText) ? PagingOptions.ParseCount(countText) : null;

        var edm = model.GetEdmModel();
        var filter = options.TryGetValue(QueryOptionReader.Filter, out var filterText) ? FilterOption.Parse(edm, filterText, limits) : null;
        var orderBy = options.TryGetValue(QueryOptionReader.OrderBy, out var orderByText) ? OrderByBinder.Parse(edm, orderByText, limits) : [];

        return new ParsedQuery<TEntity>(filter, orderBy, top, skip, count, options);
    }
}
