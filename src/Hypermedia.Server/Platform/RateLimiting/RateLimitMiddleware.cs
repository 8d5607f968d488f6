using System.Collections.Concurrent;
using System.Globalization;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Platform.RateLimiting;

/// <summary>
/// Fixed-window limits per user (all of a user's tokens share one window, so more tokens never buy more
/// requests; per client address without a token), with <c>X-RateLimit-Limit/Remaining/Reset</c> on every
/// response and <c>Retry-After</c> on 429. Counts live in this process: with several servers each
/// enforces its own window (documented in docs/operations.md).
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, IOptions<RateLimitOptions> options, TimeProvider clock)
{
    private const int PruneThreshold = 10_000;
    private readonly ConcurrentDictionary<WindowKey, Window> windows = new();
    private readonly string limitText = options.Value.PermitLimit.ToString(CultureInfo.InvariantCulture);
    private long prunedForStart;

    /// <summary>A user, or an address without a token; a struct, so finding the window allocates nothing.</summary>
    private readonly record struct WindowKey(long UserId, string? Address);

    private sealed class Window(long start)
    {
        public long Start { get; } = start;

        public int Count;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        // Carriers' webhooks come from a few addresses in bursts (every status of a large send) and are not
        // resent when refused; they are checked by signature or secret instead, and cost one HMAC when forged.
        if (context.GetEndpoint()?.Metadata.GetMetadata<OutsideTheApiMetadata>() is not null)
        {
            await next(context);
            return;
        }

        var limit = options.Value.PermitLimit;
        var windowSeconds = options.Value.WindowSeconds;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var start = now - (now % windowSeconds);
        var key = context.User.Identity?.IsAuthenticated == true
            ? new WindowKey(context.User.UserId(), null)
            : new WindowKey(0, context.Connection.RemoteIpAddress?.ToString() ?? "");

        var window = windows.AddOrUpdate(key, _ => new Window(start), (_, w) => w.Start == start ? w : new Window(start));
        var used = Interlocked.Increment(ref window.Count);
        var reset = start + windowSeconds;
        // At most one sweep per window, by whichever request first sees the new window: the cost per
        // request stays constant however many clients there are.
        if (windows.Count > PruneThreshold && Interlocked.Exchange(ref prunedForStart, start) != start)
        {
            Prune(start);
        }

        // Set as the response starts, so error responses (which clear headers) carry them too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["X-RateLimit-Limit"] = limitText;
            headers["X-RateLimit-Remaining"] = Math.Max(0, limit - used).ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });

        if (used > limit)
        {
            var exception = new ApiException(StatusCodes.Status429TooManyRequests,
                $"Rate limit of {limit} requests per {windowSeconds} seconds exceeded; retry after the window resets.");
            exception.Headers["Retry-After"] = Math.Max(1, reset - now).ToString(CultureInfo.InvariantCulture);
            throw exception;
        }

        await next(context);
    }

    private void Prune(long currentStart)
    {
        foreach (var (key, window) in windows)
        {
            if (window.Start < currentStart)
            {
                windows.TryRemove(key, out _);
            }
        }
    }
}
