using Hangfire;
using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Features.BulkSends;

/// <summary>
/// Starts the Hangfire jobs of a bulk send and remembers their ids on it (the first is linked from the
/// resource to its page on the dashboard). Jobs take the bulk send's id only: everything else is read
/// from its rows when they run.
/// </summary>
public sealed class BulkSendJobs(HypermediaDbContext db, IBackgroundJobClient jobs, IOptions<BulkSendOptions> options)
{
    /// <summary>
    /// The first fan-out job for <paramref name="recipients"/>; it enqueues the others (enough for the
    /// size, each claiming chunks until none is left) when it starts, so accepting a send costs one
    /// enqueue, not ten, and the request is not racing the first jobs for the machine.
    /// </summary>
    public async Task<List<string>> EnqueueAsync(long bulkSendId, int recipients, CancellationToken cancellationToken)
    {
        var count = Math.Clamp((recipients + options.Value.RecipientsPerJob - 1) / options.Value.RecipientsPerJob, 1, options.Value.MaxJobs);
        return await RememberAsync(bulkSendId, [jobs.Enqueue<BulkSendFanOut>(f => f.RunAsync(bulkSendId, count - 1, null))], cancellationToken);
    }

    /// <summary>The first job's <paramref name="helpers"/> more fan-out jobs.</summary>
    public async Task<List<string>> EnqueueHelpersAsync(long bulkSendId, int helpers, CancellationToken cancellationToken) =>
        await RememberAsync(bulkSendId, [.. Enumerable.Range(0, helpers).Select(_ => jobs.Enqueue<BulkSendFanOut>(f => f.RunAsync(bulkSendId, 0, null)))], cancellationToken);

    /// <summary>One more fan-out job for a send that stopped moving (the sweep): it finishes what is left.</summary>
    public async Task<List<string>> EnqueueOneAsync(long bulkSendId, CancellationToken cancellationToken) =>
        await RememberAsync(bulkSendId, [jobs.Enqueue<BulkSendFanOut>(f => f.RunAsync(bulkSendId, 0, null))], cancellationToken);

    /// <summary>The job that starts a scheduled bulk send at its time.</summary>
    public async Task<List<string>> ScheduleStartAsync(long bulkSendId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await RememberAsync(bulkSendId, [jobs.Schedule<BulkSendFanOut>(f => f.StartAsync(bulkSendId), at)], cancellationToken);

    private async Task<List<string>> RememberAsync(long bulkSendId, List<string> ids, CancellationToken cancellationToken)
    {
        var added = ids.ToArray();
        await db.Database.ExecuteSqlAsync($"UPDATE bulk_sends SET job_ids = job_ids || {added}::text[] WHERE id = {bulkSendId}", cancellationToken);
        return ids;
    }
}
