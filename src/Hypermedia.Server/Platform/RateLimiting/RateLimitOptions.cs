namespace Hypermedia.Server.Platform.RateLimiting;

/// <summary>Requests allowed per user, across all their tokens (or per IP address without a token), in each fixed window; TextUs's default is 1,000 per 5 minutes.</summary>
public sealed class RateLimitOptions
{
    public int PermitLimit { get; set; } = 1000;

    public int WindowSeconds { get; set; } = 300;
}
