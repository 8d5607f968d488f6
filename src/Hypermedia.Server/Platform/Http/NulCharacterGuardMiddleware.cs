using Hypermedia.Server.Platform.Errors;

namespace Hypermedia.Server.Platform.Http;

/// <summary>
/// PostgreSQL text cannot hold U+0000, so a NUL in a query parameter would fail deep inside a
/// query. It is refused here, once, for every endpoint, with a 400 naming the parameter. (Kestrel
/// itself answers 400 to a NUL in the path.)
/// </summary>
public sealed class NulCharacterGuardMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        foreach (var (name, values) in context.Request.Query)
        {
            if (name.Contains('\0') || HasNul(values))
            {
                throw new ApiException(StatusCodes.Status400BadRequest,
                    $"The query parameter '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character.",
                    new Dictionary<string, string[]> { [name] = ["must not contain NUL characters"] });
            }
        }

        return next(context);
    }

    /// <summary>A loop, not LINQ: it runs for every query parameter of every request.</summary>
    private static bool HasNul(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
        {
            if (value?.Contains('\0') == true)
            {
                return true;
            }
        }

        return false;
    }
}
