namespace Hypermedia.Server.Platform.Jobs;

/// <summary>
/// Hangfire's PostgreSQL storage keeps a scheduled job's time in whole seconds, so a job may start up to
/// a second before the time it was scheduled for. Work that must not happen early (a scheduled send)
/// waits out the rest first.
/// </summary>
public static class JobTiming
{
    /// <summary>The longest a job waits here; a larger gap (clocks far apart) is not the storage's rounding.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    /// <summary>Returns at <paramref name="dueAt"/> (at once when it has passed or is null), waiting at most <see cref="MaxWait"/>.</summary>
    public static async Task UntilAsync(DateTimeOffset? dueAt, TimeProvider clock)
    {
        var remaining = dueAt is { } at ? at - clock.GetUtcNow() : TimeSpan.Zero;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining < MaxWait ? remaining : MaxWait, clock);
        }
    }
}
