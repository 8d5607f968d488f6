namespace Hypermedia.Server.Platform;

/// <summary>
/// The system clock cut to PostgreSQL's microsecond precision, so the timestamp a create response
/// shows is exactly the one every later read of the row shows.
/// </summary>
public sealed class MicrosecondTimeProvider : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        var now = base.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMicrosecond));
    }
}
