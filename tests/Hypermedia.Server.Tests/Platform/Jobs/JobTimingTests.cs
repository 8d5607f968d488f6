using Hypermedia.Server.Platform.Jobs;

namespace Hypermedia.Server.Tests.Platform.Jobs;

/// <summary>A job Hangfire starts early (its storage rounds scheduled times to whole seconds) waits until it is due.</summary>
public sealed class JobTimingTests
{
    [Fact]
    public async Task A_job_started_before_its_time_returns_only_once_it_is_due()
    {
        var due = TimeProvider.System.GetUtcNow().AddMilliseconds(400);

        await JobTiming.UntilAsync(due, TimeProvider.System);

        Assert.True(TimeProvider.System.GetUtcNow() >= due);
    }

    [Fact]
    public void A_job_that_is_due_or_has_no_time_goes_on_at_once()
    {
        Assert.True(JobTiming.UntilAsync(TimeProvider.System.GetUtcNow().AddSeconds(-1), TimeProvider.System).IsCompletedSuccessfully);
        Assert.True(JobTiming.UntilAsync(null, TimeProvider.System).IsCompletedSuccessfully);
    }
}
