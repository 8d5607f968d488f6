using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hypermedia.Bench;

/// <summary>
/// Where a bulk send's time goes, for <c>bulk --explain</c> and <c>bulk --statement-log</c> (printed after the
/// table, not measured against a target): the request body's reading and the recipients' validation alone, in
/// process; the plan of the recipients' INSERT with its trigger times; the last send's Hangfire jobs and chunks
/// against the send's creation; updates that were HOT; and PostgreSQL's statement log summed by statement.
/// </summary>
public static partial class BulkSendDiagnostics
{
    /// <summary>The app's reading of the body (<see cref="RequestBody"/>: bytes, field names, deserialization), median ms of 5 after a warm-up.</summary>
    public static async Task<double> BodyReadMs(byte[] body)
    {
        var times = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var context = new DefaultHttpContext();
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(body);
            var clock = Stopwatch.StartNew();
            await RequestBody.ReadAsync<SendMessageRequest>(context.Request);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return MedianAfterWarmUp(times);
    }

    /// <summary>The app's own check of the <c>to</c> array (parse and validate each number with libphonenumber), median ms of 5 after a warm-up.</summary>
    public static double ValidationMs(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var to = document.RootElement.GetProperty("to");
        var times = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var clock = Stopwatch.StartNew();
            var validator = new Validator();
            var recipients = MessageSending.Recipients(validator, to);
            clock.Stop();
            if (!validator.IsValid || recipients is null)
            {
                throw new InvalidOperationException("The bench's recipients did not validate.");
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return MedianAfterWarmUp(times);
    }

    private static double MedianAfterWarmUp(List<double> times) => times.Skip(1).Order().ElementAt((times.Count - 1) / 2);

    /// <summary>EXPLAIN (ANALYZE, BUFFERS) of the recipients' INSERT … unnest, for a send made for it in a transaction rolled back afterwards.</summary>
    public static async Task<string> ExplainRecipientsInsertAsync(NpgsqlDataSource db, long accountId, long senderId, string from, string[] numbers)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var send = new NpgsqlCommand("""
            insert into bulk_sends (slug, account_id, sender_id, account_phone_number, body, state, total_count, sent_count, skipped_count, cancelled_count, job_ids, created_at, latest_event_at)
            values ('explain', $1, $2, $3, 'explain', 'completed', $4, 0, 0, 0, '{}', now(), now()) returning id
            """, connection, transaction);
        foreach (var value in new object[] { accountId, senderId, from, numbers.Length })
        {
            send.Parameters.Add(new() { Value = value });
        }

        var id = (long)(await send.ExecuteScalarAsync())!;
        await using var explain = new NpgsqlCommand("""
            explain (analyze, buffers)
            insert into bulk_send_recipients (bulk_send_id, position, phone_number, state)
            select $1, u.position, u.phone_number, 'pending'
            from unnest($2::integer[], $3::text[]) as u(position, phone_number)
            """, connection, transaction);
        explain.Parameters.Add(new() { Value = id });
        explain.Parameters.Add(new() { Value = Enumerable.Range(0, numbers.Length).ToArray() });
        explain.Parameters.Add(new() { Value = numbers });
        var plan = new StringBuilder();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(0));
            }
        }

        await transaction.RollbackAsync();
        return plan.ToString();
    }

    /// <summary>The send's jobs, in order of creation: ms after the send's <c>created_at</c> at which each was created and each of its states recorded.</summary>
    public static async Task<string> JobTimelineAsync(NpgsqlDataSource db, long bulkSendId)
    {
        await using var command = db.CreateCommand("""
            select j.id, extract(epoch from (j.createdat - b.created_at)) * 1000,
                   string_agg(s.name || ' ' || round((extract(epoch from (s.createdat - b.created_at)) * 1000)::numeric), ', ' order by s.id)
            from bulk_sends b
            join hangfire.job j on j.id = any(b.job_ids::bigint[])
            left join hangfire.state s on s.jobid = j.id
            where b.id = $1
            group by j.id, j.createdat, b.created_at
            order by j.id
            """);
        command.Parameters.Add(new() { Value = bulkSendId });
        var lines = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.AppendLine(FormattableString.Invariant($"job {reader.GetInt64(0)}: created +{reader.GetDouble(1):F0} ms; {reader.GetString(2)}"));
        }

        return lines.ToString();
    }

    /// <summary>The send's chunks as the recipients record them (each chunk's <c>processed_at</c> is its transaction's start), ms after the send's creation.</summary>
    public static async Task<string> ChunkTimelineAsync(NpgsqlDataSource db, long bulkSendId)
    {
        await using var command = db.CreateCommand("""
            select round((extract(epoch from (r.processed_at - b.created_at)) * 1000)::numeric), count(*),
                   round((extract(epoch from (min(m.dispatch_started_at) - b.created_at)) * 1000)::numeric)
            from bulk_sends b join bulk_send_recipients r on r.bulk_send_id = b.id left join messages m on m.id = r.message_id
            where b.id = $1 group by r.processed_at, b.created_at order by r.processed_at
            """);
        command.Parameters.Add(new() { Value = bulkSendId });
        var chunks = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            chunks.Add(string.Create(CultureInfo.InvariantCulture, $"+{reader.GetDecimal(0)} ({reader.GetInt64(1)}, dispatch +{reader.GetDecimal(2)})"));
        }

        return string.Join("; ", chunks);
    }

    /// <summary>Rows inserted and updated in the tables a send writes, and how many updates were HOT (no new index entries), since the cluster started.</summary>
    public static async Task<string> UpdatesAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd from pg_stat_user_tables
            where relname in ('bulk_sends', 'bulk_send_recipients', 'conversations', 'messages') order by relname
            """);
        var lines = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.AppendLine(FormattableString.Invariant(
                $"{reader.GetString(0)}: {reader.GetInt64(1):N0} inserted, {reader.GetInt64(2):N0} updated, of which {reader.GetInt64(3):N0} HOT"));
        }

        return lines.ToString();
    }

    /// <summary>
    /// Turns on, for sessions opened from now on, PostgreSQL's log of every statement with its duration and
    /// auto_explain's plans (with ANALYZE and buffers) of those over 4 ms; closes this process's idle pooled
    /// connections so the app's and Hangfire's next ones have it. Slows every statement: runs measured with it
    /// on are for reading where the time goes, not for the table.
    /// </summary>
    public static async Task StartStatementLogAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        // auto_explain's settings exist once the library is loaded in the session that sets them; ALTER SYSTEM runs one statement at a time.
        foreach (var sql in new[]
        {
            "load 'auto_explain'",
            "alter system set log_min_duration_statement = 0",
            "alter system set log_line_prefix = '%m [%p] '",
            "alter system set log_parameter_max_length = 0",
            "alter system set session_preload_libraries = 'auto_explain'",
            "alter system set auto_explain.log_min_duration = '4ms'",
            "alter system set auto_explain.log_analyze = on",
            "alter system set auto_explain.log_buffers = on",
            "select pg_reload_conf()",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A statement log's durations summed per statement (its first 100 characters, whitespace collapsed), the <paramref name="top"/> costliest.</summary>
    public static string SummarizeStatementLog(string path, int top)
    {
        var totals = new Dictionary<string, (int Count, double Ms)>(StringComparer.Ordinal);
        foreach (Match entry in LoggedDuration().Matches(File.ReadAllText(path)))
        {
            var sql = string.Join(' ', entry.Groups["sql"].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            var key = entry.Groups["phase"].Value + " " + sql[..Math.Min(100, sql.Length)];
            var (count, ms) = totals.GetValueOrDefault(key);
            totals[key] = (count + 1, ms + double.Parse(entry.Groups["ms"].Value, CultureInfo.InvariantCulture));
        }

        return string.Join('\n', totals.OrderByDescending(t => t.Value.Ms).Take(top)
            .Select(t => FormattableString.Invariant($"{t.Value.Ms,9:F1} ms {t.Value.Count,6}×  {t.Key}")));
    }

    /// <summary>One logged statement: its duration, the protocol step (parse, bind, execute or statement) and its text up to the next log line.</summary>
    [GeneratedRegex(@"duration: (?<ms>[0-9.]+) ms  (?<phase>parse|bind|execute|statement)[^:]*: (?<sql>(?:.|\n(?!\d{4}-\d\d-\d\d ))*)")]
    private static partial Regex LoggedDuration();
}
