using System.Diagnostics;
using Hypermedia.Server.Platform;
using Npgsql;

namespace Hypermedia.Bench;

/// <summary>What the raw baseline took: the accepting transaction, in ms, and the batched conversation and message inserts, in seconds.</summary>
public sealed record RawBulkSendResult(double AcceptMs, double FanOutSeconds);

/// <summary>
/// The baseline of the bulk-send bench: a bulk send's rows written by raw Npgsql on a warm pool, with no HTTP, no
/// EF Core and no jobs. (a) Accepting: the <c>bulk_sends</c> row and every recipient in one transaction, the
/// recipients in one <c>INSERT … SELECT FROM unnest</c> (the app's statement). (b) Fanning out: each recipient's
/// conversation (the ledger's upsert, in number order) and its queued message, in batches of the app's chunk size,
/// one transaction and two multi-row <c>INSERT … unnest</c> per batch, one batch after the other.
/// </summary>
/// <remarks>
/// What the app does and this does not: validate the numbers and answer HTTP; enqueue Hangfire jobs and run them
/// (fetch, state changes, heartbeats); claim recipients (<c>FOR UPDATE SKIP LOCKED</c>) under a key-share lock on
/// the send; check opt-outs and blocks; update each recipient's state and the send's counts; hand the messages to
/// the carrier (advisory locks, <c>dispatch_started_at</c>, the outcome, the simulator's scheduled report job);
/// complete the send. Afterwards (untimed) its rows are marked done, so neither sweep ever picks them up.
/// </remarks>
public static class RawBulkSend
{
    public static async Task<RawBulkSendResult> RunAsync(
        NpgsqlDataSource db, long accountId, long senderId, string from, string body, string[] numbers, int chunkSize)
    {
        var clock = Stopwatch.StartNew();
        var bulkSendId = await AcceptAsync(db, accountId, senderId, from, body, numbers);
        var acceptMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        foreach (var batch in numbers.Chunk(chunkSize))
        {
            await WriteBatchAsync(db, new Sender(accountId, senderId, from, body, bulkSendId), batch);
        }

        var fanOutSeconds = clock.Elapsed.TotalSeconds;
        await SettleAsync(db, bulkSendId);
        return new RawBulkSendResult(acceptMs, fanOutSeconds);
    }

    /// <summary>Who a batch's rows are from, and the send they belong to.</summary>
    private sealed record Sender(long AccountId, long SenderId, string From, string Body, long BulkSendId);

    /// <summary>(a): the send and its recipients, one transaction; the send's id.</summary>
    private static async Task<long> AcceptAsync(NpgsqlDataSource db, long accountId, long senderId, string from, string body, string[] numbers)
    {
        var now = DateTime.UtcNow;
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var send = new NpgsqlCommand("""
            insert into bulk_sends (slug, account_id, sender_id, account_phone_number, body, state, scheduled_at, total_count,
                                    sent_count, skipped_count, cancelled_count, job_ids, created_at, started_at, completed_at, cancelled_at, latest_event_at)
            values ($1, $2, $3, $4, $5, 'queued', null, $6, 0, 0, 0, '{}', $7, null, null, null, $7)
            returning id
            """, connection, transaction);
        foreach (var value in new object[] { Slugs.New(), accountId, senderId, from, body, numbers.Length, now })
        {
            send.Parameters.Add(new() { Value = value });
        }

        var id = (long)(await send.ExecuteScalarAsync())!;
        await using var recipients = new NpgsqlCommand("""
            insert into bulk_send_recipients (bulk_send_id, position, phone_number, state)
            select $1, u.position, u.phone_number, 'pending'
            from unnest($2::integer[], $3::text[]) as u(position, phone_number)
            """, connection, transaction);
        recipients.Parameters.Add(new() { Value = id });
        recipients.Parameters.Add(new() { Value = Enumerable.Range(0, numbers.Length).ToArray() });
        recipients.Parameters.Add(new() { Value = numbers });
        await recipients.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return id;
    }

    /// <summary>(b), one batch: its conversations (one upsert) and its queued messages (one insert), one transaction.</summary>
    private static async Task WriteBatchAsync(NpgsqlDataSource db, Sender sender, string[] numbers)
    {
        var now = DateTime.UtcNow;
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var conversations = new NpgsqlCommand("""
            insert into conversations (slug, account_id, phone_number, account_phone_number, state, latest_activity_at, latest_inbound_at, message_count, created_at)
            select u.slug, $1, u.phone_number, $2, 'open', $3, null, 1, $3
            from unnest($4::text[], $5::text[]) as u(slug, phone_number)
            order by u.phone_number
            on conflict (account_id, phone_number) do update set
                message_count = conversations.message_count + 1,
                account_phone_number = excluded.account_phone_number,
                latest_activity_at = greatest(conversations.latest_activity_at, excluded.latest_activity_at)
            returning id, phone_number
            """, connection, transaction);
        foreach (var value in new object[] { sender.AccountId, sender.From, now, numbers.Select(_ => Slugs.New()).ToArray(), numbers })
        {
            conversations.Parameters.Add(new() { Value = value });
        }

        var conversationOf = new Dictionary<string, long>(numbers.Length, StringComparer.Ordinal);
        await using (var reader = await conversations.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                conversationOf[reader.GetString(1)] = reader.GetInt64(0);
            }
        }

        await using var messages = new NpgsqlCommand("""
            insert into messages (slug, account_id, conversation_id, phone_number, account_phone_number, direction, body, delivery_state,
                                  channel, source, flags, sender_id, carrier, timeline_position, latest_event_at, created_at, bulk_send_id)
            select u.slug, $1, u.conversation_id, u.phone_number, $2, 'out', $3, 'queued',
                   'sms', 'api', '{}', $4, 'simulator', $5, $5, $5, $6
            from unnest($7::text[], $8::text[], $9::bigint[]) as u(slug, phone_number, conversation_id)
            """, connection, transaction);
        foreach (var value in new object[]
        {
            sender.AccountId, sender.From, sender.Body, sender.SenderId, now, sender.BulkSendId,
            numbers.Select(_ => Slugs.New()).ToArray(), numbers, numbers.Select(n => conversationOf[n]).ToArray(),
        })
        {
            messages.Parameters.Add(new() { Value = value });
        }

        await messages.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Untimed: the send completed, its recipients sent and its messages delivered, as if it had run.</summary>
    private static async Task SettleAsync(NpgsqlDataSource db, long bulkSendId)
    {
        await using var command = db.CreateCommand("""
            update bulk_sends set state = 'completed', sent_count = total_count, completed_at = now(), latest_event_at = now() where id = @send;
            update bulk_send_recipients set state = 'sent' where bulk_send_id = @send;
            update messages set delivery_state = 'delivered' where bulk_send_id = @send;
            """);
        command.Parameters.AddWithValue("send", bulkSendId);
        await command.ExecuteNonQueryAsync();
    }
}
