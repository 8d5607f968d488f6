namespace Hypermedia.Server.Tests.Infrastructure;

public static class Concurrently
{
    /// <summary>
    /// Sends <paramref name="count"/> requests at once: each waits on one gate, and opening it queues them
    /// all to the thread pool together, so they overlap in the server and in the database.
    /// </summary>
    public static async Task<HttpResponseMessage[]> SendAsync(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.Task;
            return await send(i);
        }).ToArray();
        gate.SetResult();
        return await Task.WhenAll(requests);
    }

    /// <summary>How many responses had each status, for exact assertions and readable failures.</summary>
    public static Dictionary<int, int> CountByStatus(this IEnumerable<HttpResponseMessage> responses) =>
        responses.GroupBy(r => (int)r.StatusCode).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
}
