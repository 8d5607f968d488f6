using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Hypermedia.Bench;

/// <summary>What the sends scenario measured: the app, the bare HTTP baseline and the raw transaction, and the app's dispatch backlog.</summary>
public sealed record SendsResult(
    WrkResult App, long AppRows, double AppSeconds, double AppKbPerRequest, IReadOnlyDictionary<string, long> StatesAtEnd, double DrainSeconds,
    WrkResult Baseline, long BaselineRows, double BaselineSeconds, double BaselineKbPerRequest,
    long RawRows, double RawSeconds)
{
    public void Print(int connections, int seconds)
    {
        var app = AppRows / AppSeconds;
        var baseline = BaselineRows / BaselineSeconds;
        var raw = RawRows / RawSeconds;
        Console.WriteLine(FormattableString.Invariant($"| Sends (POST /{{account}}/messages, {connections} connections, {seconds} s) | Rows | Rows/s | App ratio to it | p50 / p99 ms | KB allocated/req |"));
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine(FormattableString.Invariant($"| app (wrk + send.lua; enqueues a Hangfire job per send) | {AppRows:N0} | {app:F0} | 1.00 | {App.P50Ms:F2} / {App.P99Ms:F2} | {AppKbPerRequest:F1} |"));
        Console.WriteLine(FormattableString.Invariant($"| bare Kestrel + Npgsql (same script, same checks, no job) | {BaselineRows:N0} | {baseline:F0} | {app / baseline:F2} | {Baseline.P50Ms:F2} / {Baseline.P99Ms:F2} | {BaselineKbPerRequest:F1} |"));
        Console.WriteLine(FormattableString.Invariant($"| raw upsert + insert transaction, {connections} tasks, no HTTP | {RawRows:N0} | {raw:F0} | {app / raw:F2} | | |"));
        if (App.Non2xx > 0 || Baseline.Non2xx > 0)
        {
            Console.WriteLine($"  ! non-2xx responses: app {App.Non2xx}, baseline {Baseline.Non2xx}");
        }

        Console.WriteLine(FormattableString.Invariant(
            $"App messages when wrk stopped: {string.Join(", ", StatesAtEnd.Select(s => $"{s.Key} {s.Value:N0}"))}; all delivered {DrainSeconds:F1} s later (the simulator reports 1 s after dispatch)."));
    }
}

/// <summary>
/// Sends accepted per second: POSTs driven by wrk with a Lua script (send.lua: a JSON body per request, recipients
/// varied), on the app and on the bare baseline, each into an account of its own; then the same number of rows the
/// app accepted written by raw Npgsql transactions at the same concurrency. The app's dispatch jobs (Hangfire,
/// PostgreSQL storage) run in the same process while it is measured; the backlog left when wrk stops is drained
/// before the baseline runs, so the baseline never shares the machine with them.
/// </summary>
public static class Sends
{
    public static async Task<SendsResult> RunAsync(BenchApp app, NpgsqlDataSource db, string appBase, string baseBase, string token, int connections, int seconds)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "send.lua");
        var appAccount = await app.AddAccountAsync("sends-app", "+13035550050");
        var baseAccount = await app.AddAccountAsync("sends-base", "+13035550060");
        var rawAccount = await app.AddAccountAsync("sends-raw", "+13035550070");

        // PostgreSQL here allows 100 connections: the app's pool, its job server, the baseline's pool and the raw
        // tasks' would pass it together. Idle connections of the scenarios before are closed before each part.
        NpgsqlConnection.ClearAllPools();
        await Console.Error.WriteLineAsync($"app: sends accepted (pid {Environment.ProcessId})");
        await Wrk.RunAsync($"{appBase}/sends-app/messages", token, connections, Math.Max(1, seconds / 3), script);
        await DrainAsync(db, appAccount.Id);
        var before = await RowsAsync(db, appAccount.Id);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var appResult = await Wrk.RunAsync($"{appBase}/sends-app/messages", token, connections, seconds, script);
        var appSeconds = clock.Elapsed.TotalSeconds;
        var appAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var states = await StatesAsync(db, appAccount.Id);
        var drain = await DrainAsync(db, appAccount.Id);
        var appRows = await RowsAsync(db, appAccount.Id) - before;

        NpgsqlConnection.ClearAllPools();
        await Wrk.RunAsync($"{baseBase}/sends-base/messages", token, connections, Math.Max(1, seconds / 3), script);
        before = await RowsAsync(db, baseAccount.Id);
        allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        clock.Restart();
        var baseResult = await Wrk.RunAsync($"{baseBase}/sends-base/messages", token, connections, seconds, script);
        var baseSeconds = clock.Elapsed.TotalSeconds;
        var baseAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var baseRows = await RowsAsync(db, baseAccount.Id) - before;

        NpgsqlConnection.ClearAllPools();
        // Warm-up, as wrk's: the tasks' connections opened and the statements prepared before the clock starts.
        await RawAsync(db, rawAccount.Id, app.UserId, connections, connections * 4);
        var (rawRows, rawSeconds) = await RawAsync(db, rawAccount.Id, app.UserId, connections, (int)appRows);

        // The baseline's rows are left queued like the app's; delivered now, so the app's queued-message sweep never sends them.
        await using (var settle = db.CreateCommand("update messages set delivery_state = 'delivered' where account_id = any($1) and delivery_state = 'queued'"))
        {
            settle.Parameters.Add(new() { Value = new[] { baseAccount.Id, rawAccount.Id } });
            await settle.ExecuteNonQueryAsync();
        }

        return new SendsResult(
            appResult, appRows, appSeconds, appResult.Requests == 0 ? 0 : appAllocated / 1024.0 / appResult.Requests, states, drain,
            baseResult, baseRows, baseSeconds, baseResult.Requests == 0 ? 0 : baseAllocated / 1024.0 / baseResult.Requests,
            rawRows, rawSeconds);
    }

    /// <summary><paramref name="rows"/> sends as raw transactions from <paramref name="tasks"/> concurrent tasks, to the script's numbers.</summary>
    private static async Task<(long Rows, double Seconds)> RawAsync(NpgsqlDataSource db, long accountId, long userId, int tasks, int rows)
    {
        var next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= rows)
            {
                var to = "+1303555" + (101 + (i % 9899)).ToString("D4", CultureInfo.InvariantCulture);
                await BaselineApp.AcceptAsync(db, accountId, to, "+13035550070", $"Bench message {i}", userId, CancellationToken.None);
            }
        })));
        return (rows, clock.Elapsed.TotalSeconds);
    }

    private static async Task<long> RowsAsync(NpgsqlDataSource db, long accountId)
    {
        await using var command = db.CreateCommand("select count(*) from messages where account_id = $1");
        command.Parameters.Add(new() { Value = accountId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<Dictionary<string, long>> StatesAsync(NpgsqlDataSource db, long accountId)
    {
        await using var command = db.CreateCommand("select delivery_state, count(*) from messages where account_id = $1 group by 1 order by 2 desc");
        command.Parameters.Add(new() { Value = accountId });
        await using var reader = await command.ExecuteReaderAsync();
        var states = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            states[reader.GetString(0)] = reader.GetInt64(1);
        }

        return states;
    }

    /// <summary>Seconds until none of the account's messages is queued or dispatched (every job ran and the simulator reported); at most 5 minutes.</summary>
    private static async Task<double> DrainAsync(NpgsqlDataSource db, long accountId)
    {
        var clock = Stopwatch.StartNew();
        await using var command = db.CreateCommand("select count(*) from messages where account_id = $1 and delivery_state in ('queued', 'dispatched')");
        command.Parameters.Add(new() { Value = accountId });
        while ((long)(await command.ExecuteScalarAsync())! > 0 && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(250);
        }

        return clock.Elapsed.TotalSeconds;
    }
}
