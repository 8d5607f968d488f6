using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text.Json;
using Hypermedia.Server.Features.BulkSends;
using Hypermedia.Server.Platform.Jobs;
using Hypermedia.Server.Platform.Phones;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hypermedia.Bench;

/// <summary>
/// A 10,000-recipient send through the real app (issue 10): the wall time until its 202 (client side, in-process
/// HttpClient), and recipients fanned out per second by its Hangfire jobs with the simulator carrier (the bulk send's
/// <c>completed_at − created_at</c>, server clock). Each run also writes the same rows with raw Npgsql
/// (<see cref="RawBulkSend"/>), so both targets are ratios to a baseline taken on the same machine in the same run:
/// the 202 in under 200 ms, the fan-out at least 0.3× the raw rate. Every run sends from a fresh account, so each
/// creates 10,000 new conversations.
/// </summary>
public static class BulkSends
{
    public const int RecipientCount = 10_000;
    private const string MessageBody = "Bench bulk send: our spring sale starts today";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = BenchArguments.Option(args, "--runs", 5);
        var explain = BenchArguments.Flag(args, "--explain");
        var statementLog = BenchArguments.Text(args, "--statement-log");
        var numbers = BulkRecipients.Numbers(RecipientCount);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { to = numbers, body = MessageBody });

        await using var cluster = await BenchCluster.StartAsync("hypermedia-bulk-bench");
        await using var app = new BenchApp(cluster.ConnectionString);
        var (_, token) = await app.SeedAccountAsync();
        await using var db = NpgsqlDataSource.Create(cluster.ConnectionString);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var chunkSize = app.Services.GetRequiredService<IOptions<BulkSendOptions>>().Value.ChunkSize;
        var workers = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value.Workers;
        await Console.Error.WriteLineAsync(FormattableString.Invariant(
            $"Bulk sends: {RecipientCount:N0} recipients, request body {body.Length / 1024.0:F0} KB, chunks of {chunkSize}, {workers} Hangfire workers, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, 1 warm-up + {runs} runs"));

        var measured = new List<BulkRun>();
        for (var run = 0; run <= runs; run++)
        {
            if (run == 1 && statementLog is not null)
            {
                await BulkSendDiagnostics.StartStatementLogAsync(db);
            }

            await VacuumAsync(db);
            var appAccount = await app.AddAccountAsync($"bulk-app-{run}", AccountNumber(2000 + run));
            var appSend = await SendAsync(client, db, appAccount.Slug, appAccount.Id, body);
            await VacuumAsync(db);
            var rawAccount = await app.AddAccountAsync($"bulk-raw-{run}", AccountNumber(3000 + run));
            var raw = await RawBulkSend.RunAsync(db, rawAccount.Id, app.UserId, rawAccount.PhoneNumbers[0], MessageBody, numbers, chunkSize);
            var result = new BulkRun(appSend, raw);
            await Console.Error.WriteLineAsync((run == 0 ? "warm-up" : $"run {run}") + $" (load average {LoadAverage()}): " + result.Describe());
            if (run > 0)
            {
                measured.Add(result);
            }
        }

        BulkRun.Print(measured, chunkSize);
        if (explain)
        {
            var rawAccount = await app.AddAccountAsync("bulk-explain", AccountNumber(4000));
            await ExplainAsync(db, body, numbers, rawAccount.Id, app.UserId, rawAccount.PhoneNumbers[0], measured[^1].App.BulkSendId);
        }

        if (statementLog is not null)
        {
            File.Copy(cluster.LogPath, statementLog, overwrite: true);
            Console.WriteLine();
            Console.WriteLine($"PostgreSQL's statement log of the measured runs (apps and baselines; copied to {statementLog}), summed per statement:");
            Console.WriteLine(BulkSendDiagnostics.SummarizeStatementLog(statementLog, 30));
        }

        return 0;
    }

    /// <summary>
    /// Untimed, before each send and each baseline: the previous one's dead row versions vacuumed and the statistics
    /// brought up to date, so every measurement starts from the same kind of tables (as autovacuum would leave them).
    /// </summary>
    private static async Task VacuumAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("vacuum (analyze) bulk_sends, bulk_send_recipients, conversations, messages");
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExplainAsync(NpgsqlDataSource db, byte[] body, string[] numbers, long accountId, long userId, string from, long lastSendId)
    {
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant(
            $"In process, median of 5: the body read as the app reads it (RequestBody) {await BulkSendDiagnostics.BodyReadMs(body):F1} ms; the {numbers.Length:N0} numbers validated (MessageSending.Recipients) {BulkSendDiagnostics.ValidationMs(body):F1} ms"));
        Console.WriteLine();
        Console.WriteLine("Plan (EXPLAIN ANALYZE, rolled back) of the recipients' INSERT:");
        Console.WriteLine(await BulkSendDiagnostics.ExplainRecipientsInsertAsync(db, accountId, userId, from, numbers));
        Console.WriteLine("The last run's jobs (ms after the send's created_at):");
        Console.WriteLine(await BulkSendDiagnostics.JobTimelineAsync(db, lastSendId));
        Console.WriteLine("The last run's chunks (ms after created_at: each chunk's start, its recipients, its first dispatch):");
        Console.WriteLine(await BulkSendDiagnostics.ChunkTimelineAsync(db, lastSendId));
        Console.WriteLine();
        Console.WriteLine("Rows written since the cluster started (every run, apps and baselines):");
        Console.WriteLine(await BulkSendDiagnostics.UpdatesAsync(db));
    }

    /// <summary>The machine's 1-minute load average (Linux), to tell a quiet run from a noisy one.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string AccountNumber(int line) => "+1303555" + line.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>One send: the POST timed to its 202, then the database polled until the send is completed and every message delivered.</summary>
    private static async Task<AppBulkSend> SendAsync(HttpClient client, NpgsqlDataSource db, string accountSlug, long accountId, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var pausedBefore = GC.GetTotalPauseDuration();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var sentAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync($"/{accountSlug}/messages", content);
        clock.Stop();
        // The whole process's: the fan-out's first jobs start before the 202 and are counted too.
        var gc = new GcDuring((GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds, (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / 1024.0);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"The send answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var send = await CompletedAsync(db, accountId);
        var deliveredAt = await DeliveredAsync(db, send.Id);
        var check = await CheckAsync(db, accountId, send.Id);
        return new AppBulkSend(
            send.Id, clock.Elapsed.TotalMilliseconds, (send.CreatedAt - sentAt).TotalMilliseconds, (send.FirstJobAt - send.CreatedAt).TotalMilliseconds,
            (send.CompletedAt - send.CreatedAt).TotalSeconds, (deliveredAt - send.CreatedAt).TotalSeconds, gc, check);
    }

    /// <summary>The account's bulk send once completed (polled every 20 ms), and when its first job was created (Hangfire's clock, the same machine's).</summary>
    private static async Task<(long Id, DateTimeOffset CreatedAt, DateTimeOffset CompletedAt, DateTimeOffset FirstJobAt)> CompletedAsync(NpgsqlDataSource db, long accountId)
    {
        await using var command = db.CreateCommand("""
            select b.id, b.created_at, b.completed_at, (select min(j.createdat) from hangfire.job j where j.id = any(b.job_ids::bigint[]))
            from bulk_sends b where b.account_id = $1 and b.state = 'completed'
            """);
        command.Parameters.Add(new() { Value = accountId });
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            await using (var reader = await command.ExecuteReaderAsync())
            {
                if (await reader.ReadAsync())
                {
                    return (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2), Utc(reader.GetDateTime(3)));
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"The bulk send of account {accountId} did not complete in {Patience.TotalMinutes} minutes.");
    }

    /// <summary>Hangfire's timestamps are UTC, with or without a zone depending on its schema's version.</summary>
    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>
    /// When the simulator's last report landed: none of the send's messages queued or dispatched any more. Waited for
    /// so that the next measurement never shares the machine with this send's report jobs.
    /// </summary>
    private static async Task<DateTimeOffset> DeliveredAsync(NpgsqlDataSource db, long bulkSendId)
    {
        await using var command = db.CreateCommand("""
            select max(latest_event_at) from messages where bulk_send_id = $1
            having count(*) filter (where delivery_state in ('queued', 'dispatched')) = 0
            """);
        command.Parameters.Add(new() { Value = bulkSendId });
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            if (await command.ExecuteScalarAsync() is DateTime at)
            {
                return new DateTimeOffset(at);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The messages of bulk send {bulkSendId} were not all delivered in {Patience.TotalMinutes} minutes.");
    }

    /// <summary>What the send left: its sent count, its messages delivered, and the account's conversations (all new).</summary>
    private static async Task<string> CheckAsync(NpgsqlDataSource db, long accountId, long bulkSendId)
    {
        await using var command = db.CreateCommand("""
            select (select sent_count from bulk_sends where id = $2),
                   (select count(*) from messages where bulk_send_id = $2 and delivery_state = 'delivered'),
                   (select count(*) from conversations where account_id = $1)
            """);
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = bulkSendId });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (sent, delivered, conversations) = (reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2));
        var expected = sent == RecipientCount && delivered == RecipientCount && conversations == RecipientCount;
        return FormattableString.Invariant($"sent {sent:N0}, delivered {delivered:N0}, conversations {conversations:N0}{(expected ? "" : "  <-- MISMATCH")}");
    }
}

/// <summary>The recipients: distinct US numbers, each checked valid by libphonenumber as the app checks them.</summary>
public static class BulkRecipients
{
    /// <summary>
    /// +1 303 556-0100 onwards, lines 0100–9999 of each exchange: never a line ending 0000, 0001 or 0002 (the
    /// simulator fails those on purpose), nor one of the bench accounts' own numbers (exchange 555).
    /// </summary>
    public static string[] Numbers(int count)
    {
        var numbers = new List<string>(count);
        for (var exchange = 556; numbers.Count < count; exchange++)
        {
            for (var line = 100; line <= 9999 && numbers.Count < count; line++)
            {
                numbers.Add(FormattableString.Invariant($"+1303{exchange}{line:D4}"));
            }
        }

        var invalid = numbers.Where(n => !PhoneNumber.TryParse(n, out var parsed, out _) || !parsed.IsValid || parsed.E164 != n).ToList();
        return invalid.Count == 0 ? [.. numbers]
            : throw new InvalidOperationException($"{invalid.Count} recipients are not valid numbers (the app would answer 422), e.g. {invalid[0]}");
    }
}

/// <summary>
/// The app's side of one run: wall ms to the 202, and of it the ms before the send's row took its time (the request read,
/// authenticated, its body parsed and 10,000 numbers validated) and from then to the first job's creation (the
/// transaction writing the send and its recipients); the fan-out's seconds (created to completed) and until the last
/// simulator report; what the rows looked like afterwards.
/// </summary>
public sealed record AppBulkSend(
    long BulkSendId, double AcceptedMs, double BeforeRowsMs, double RowsMs, double FanOutSeconds, double DeliveredSeconds, GcDuring Gc, string Check);

/// <summary>The process's garbage collections while the POST was in flight: pause ms and MB allocated.</summary>
public sealed record GcDuring(double PauseMs, double AllocatedMb);

/// <summary>One run of the app and its raw baseline, and the table of all measured runs.</summary>
public sealed record BulkRun(AppBulkSend App, RawBulkSendResult Raw)
{
    private const int Recipients = BulkSends.RecipientCount;

    public string Describe() =>
        FormattableString.Invariant($"202 in {App.AcceptedMs:F0} ms ({App.BeforeRowsMs:F0} before the rows, {App.RowsMs:F0} rows, {JobsAndAnswerMs:F0} jobs and answer), raw accept {Raw.AcceptMs:F0} ms; ")
        + FormattableString.Invariant($"fan-out {App.FanOutSeconds:F2} s ({Recipients / App.FanOutSeconds:N0}/s), raw {Raw.FanOutSeconds:F2} s ({Recipients / Raw.FanOutSeconds:N0}/s); ")
        + FormattableString.Invariant($"all delivered {App.DeliveredSeconds:F1} s after creation; during the POST GC paused {App.Gc.PauseMs:F0} ms, {App.Gc.AllocatedMb:F0} MB allocated; {App.Check}");

    private double JobsAndAnswerMs => App.AcceptedMs - App.BeforeRowsMs - App.RowsMs;

    public static void Print(IReadOnlyList<BulkRun> runs, int chunkSize)
    {
        Console.WriteLine(FormattableString.Invariant(
            $"| Run ({Recipients:N0} recipients) | App 202 ms | of which before the rows / rows / jobs and answer | Raw accept ms | App / raw | App fan-out s | App recipients/s | Raw fan-out s (batches of {chunkSize}) | Raw recipients/s | App / raw | All delivered s |"));
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < runs.Count; i++)
        {
            var (app, raw) = (runs[i].App, runs[i].Raw);
            Console.WriteLine(FormattableString.Invariant(
                $"| {i + 1} | {app.AcceptedMs:F0} | {app.BeforeRowsMs:F0} / {app.RowsMs:F0} / {runs[i].JobsAndAnswerMs:F0} | {raw.AcceptMs:F0} | {app.AcceptedMs / raw.AcceptMs:F1} | {app.FanOutSeconds:F2} | {Recipients / app.FanOutSeconds:N0} | {raw.FanOutSeconds:F2} | {Recipients / raw.FanOutSeconds:N0} | {raw.FanOutSeconds / app.FanOutSeconds:F2} | {app.DeliveredSeconds:F1} |"));
        }

        var accepted = runs.Select(r => r.App.AcceptedMs).ToList();
        var rawAccepted = Median(runs.Select(r => r.Raw.AcceptMs));
        var appRate = Median(runs.Select(r => Recipients / r.App.FanOutSeconds));
        var rawRate = Median(runs.Select(r => Recipients / r.Raw.FanOutSeconds));
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"| {Recipients:N0}-recipient send, {runs.Count} runs | App | Raw baseline | App / raw | Target |"));
        Console.WriteLine("|---|---:|---:|---:|---|");
        Console.WriteLine(FormattableString.Invariant(
            $"| time to 202, median ms | {Median(accepted):F0} | {rawAccepted:F0} | {Median(accepted) / rawAccepted:F1}× the time | < 200 ms |"));
        Console.WriteLine(FormattableString.Invariant($"| time to 202, max ms | {accepted.Max():F0} | | | |"));
        Console.WriteLine(FormattableString.Invariant(
            $"| fan-out, median recipients/s | {appRate:N0} | {rawRate:N0} | {appRate / rawRate:F2} | ≥ 0.3 |"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
