using System.Net;
using Hypermedia.Server.Features.BulkSends;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

/// <summary>
/// A 10,000-recipient bulk send fanned out by two server processes (on their own loopback ports) sharing
/// one PostgreSQL database and Hangfire's storage in it: exactly one message per recipient, both processes
/// doing part of the work, and the same when one of them is SIGKILLed in the middle of it.
/// </summary>
public sealed class BulkSendScaleOutTests : IClassFixture<ArrangingApiFactory>, IAsyncLifetime
{
    private const int Recipients = 10_000;

    /// <summary>Guards waits for something that never happens; a takeover takes about the invisibility timeout.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(240);

    private readonly ArrangingApiFactory api;
    private readonly List<ServerProcess> processes = [];

    public BulkSendScaleOutTests(ArrangingApiFactory api) => this.api = api;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }
    }

    /// <summary>Two job-running servers, started one after the other (the first installs Hangfire's schema).</summary>
    private async Task<(ServerProcess First, ServerProcess Second)> StartTwoAsync(int chunkSize)
    {
        var settings = new Dictionary<string, string>
        {
            ["Jobs:Storage"] = "PostgreSql",
            ["Jobs:InvisibilityTimeoutSeconds"] = "10",
            ["Jobs:QueuePollSeconds"] = "1",
            // Fewer workers than the send's ten jobs: one process cannot take them all, the other gets some.
            ["Jobs:Workers"] = "3",
            ["BulkSends:ChunkSize"] = chunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Carriers:Simulator:DeliveryDelayMilliseconds"] = "200",
        };
        var first = await ServerProcess.StartAsync("first", api.ConnectionString, settings);
        processes.Add(first);
        var second = await ServerProcess.StartAsync("second", api.ConnectionString, settings);
        processes.Add(second);
        return (first, second);
    }

    private static string[] Numbers() =>
        [.. Enumerable.Range(0, Recipients).Select(i => "+1720555" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture))];

    private async Task<long> SendAsync(ServerProcess server)
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        using var client = server.ClientWithToken(user.Token);
        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(), body = "Scale out" })).ExpectAsync(HttpStatusCode.Accepted);
        var slug = ((string)send["id"]!).Split('/')[^1];
        return await api.WithDbAsync(db => db.BulkSends.Where(b => b.Slug == slug).Select(b => b.Id).SingleAsync());
    }

    private Task WaitForAsync(long bulkSendId, Func<BulkSend, bool> condition, string what) =>
        WaitUntilAsync(async () => condition(await api.WithDbAsync(db => db.BulkSends.AsNoTracking().SingleAsync(b => b.Id == bulkSendId))), () => DescribeAsync(bulkSendId, what));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<Task<string>> failure)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail(await failure());
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Why a wait failed: the send, who processed how many of its recipients, and its jobs as Hangfire has them.</summary>
    private async Task<string> DescribeAsync(long bulkSendId, string what)
    {
        var send = await api.WithDbAsync(db => db.BulkSends.AsNoTracking().SingleAsync(b => b.Id == bulkSendId));
        var workers = await api.WithDbAsync(db => db.BulkSendRecipients.Where(r => r.BulkSendId == bulkSendId)
            .GroupBy(r => r.ProcessedBy).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        List<string> jobs;
        try
        {
            // Each job's state, and the server and reason of its latest one (a failed job's exception, a processing job's server).
            jobs = await api.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
                """
                SELECT j.id || ' ' || coalesce(j.statename, '?') || coalesce(' (' || left(s.data::text, 300) || ')', '') AS "Value"
                FROM hangfire.job j
                LEFT JOIN LATERAL (SELECT st.data FROM hangfire.state st WHERE st.jobid = j.id ORDER BY st.id DESC LIMIT 1) s ON true
                WHERE j.id::text = ANY({0})
                """, [send.JobIds.ToArray()]).ToListAsync());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The description must not hide the failure it describes.
            jobs = [$"{string.Join(" ", send.JobIds)} (their states could not be read: {e.Message})"];
        }

        return $"bulk send {bulkSendId} never {what}: {send.State}, {send.SentCount} sent, {send.SkippedCount} skipped; processed by "
            + string.Join(", ", workers.Select(w => $"{w.Key ?? "nobody"} ({w.Count})")) + "; jobs " + string.Join(", ", jobs)
            + "; servers: " + string.Join(" | ", processes.Select(p => p.Name + ": " + string.Join(" / ", p.Output.TakeLast(5))));
    }

    private async Task AssertOneMessagePerRecipientAsync(long bulkSendId)
    {
        var counts = await api.WithDbAsync(async db => new
        {
            Messages = await db.Messages.CountAsync(m => m.BulkSendId == bulkSendId),
            Numbers = await db.Messages.Where(m => m.BulkSendId == bulkSendId).Select(m => m.PhoneNumber).Distinct().CountAsync(),
            Linked = await db.BulkSendRecipients.CountAsync(r => r.BulkSendId == bulkSendId && r.State == RecipientStates.Sent && r.MessageId != null),
            Queued = await db.Messages.CountAsync(m => m.BulkSendId == bulkSendId && m.DeliveryState == "queued"),
        });
        Assert.Equal(Recipients, counts.Messages);
        Assert.Equal(Recipients, counts.Numbers);
        Assert.Equal(Recipients, counts.Linked);
        Assert.Equal(0, counts.Queued);
    }

    private Task<List<string?>> WorkersAsync(long bulkSendId) =>
        api.WithDbAsync(db => db.BulkSendRecipients.Where(r => r.BulkSendId == bulkSendId).Select(r => r.ProcessedBy).Distinct().ToListAsync());

    [Fact]
    public async Task Two_servers_share_a_ten_thousand_recipient_send_and_send_each_recipient_one_message()
    {
        var (first, _) = await StartTwoAsync(chunkSize: 250);

        var id = await SendAsync(first);
        await WaitForAsync(id, b => b.State == BulkSendStates.Completed, "completed");

        await AssertOneMessagePerRecipientAsync(id);
        Assert.Equal(2, (await WorkersAsync(id)).Count);
    }

    [Fact]
    public async Task When_one_server_is_killed_mid_fan_out_the_other_finishes_and_still_sends_each_recipient_one_message()
    {
        var (first, _) = await StartTwoAsync(chunkSize: 25);

        var id = await SendAsync(first);
        await WaitForAsync(id, b => b.SentCount >= 1000, "got going");
        await WaitUntilAsync(async () => (await WorkersAsync(id)).Count(w => w is not null) == 2, () => DescribeAsync(id, "was worked on by both servers before the kill"));
        await first.KillAsync();
        var atKill = await api.WithDbAsync(db => db.BulkSends.Where(b => b.Id == id).Select(b => b.SentCount + b.SkippedCount).SingleAsync());
        await WaitForAsync(id, b => b.State == BulkSendStates.Completed, "completed after the kill");

        Assert.InRange(atKill, 1, Recipients - 1);
        await AssertOneMessagePerRecipientAsync(id);
        Assert.Equal(2, (await WorkersAsync(id)).Count);
    }
}
