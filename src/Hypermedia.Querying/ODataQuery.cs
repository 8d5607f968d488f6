using Microsoft.AspNetCore.Http;

namespace Hypermedia.Querying;

/// <summary>Entry point: the OData query options of a request to a <see cref="ParsedQuery{TEntity}"/>.</summary>
public static class ODataQuery
{
    /// <summary>
    /// Parses and validates $filter, $orderby, $top, $skip and $count; other '$' options are refused and parameters
    /// without '$' are left to the caller. For any client input, the only exception thrown is <see cref="QueryOptionException"/>.
    /// </summary>
    public static ParsedQuery<TEntity> Parse<TEntity>(QueryModel<TEntity> model, HttpRequest request, QueryLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        return model.Parse(request, limits ?? QueryLimits.Default);
    }
}
