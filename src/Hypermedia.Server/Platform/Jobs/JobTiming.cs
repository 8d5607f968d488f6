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
        if (dueAt is not { } at)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var until = at < now + MaxWait ? at : now + MaxWait;
        while (now < until)
        {
            // A timer may fire a little before the clock reads its time (they tick apart): wait out the rest too.
            await Task.Delay(until - now, clock);
            now = clock.GetUtcNow();
        }
    }
}
