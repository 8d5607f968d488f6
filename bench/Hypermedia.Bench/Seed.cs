using System.Text;
using Npgsql;

namespace Hypermedia.Bench;

/// <summary>Bulk data straight into the app's tables: the benchmark measures reads, not inserts.</summary>
public static class Seed
{
    public static async Task ContactsAsync(NpgsqlDataSource db, long accountId, int count)
    {
        // Names and numbers are pseudo-random but repeatable (md5 of the row number); one "Ada Lovelace"; every 50th is tagged vip.
        await using var command = db.CreateCommand("""
            insert into contacts (slug, account_id, name, business_name, tags, created_at, updated_at)
            select 'bench' || i, @account,
                   case when i = 4242 then 'Ada Lovelace'
                        else initcap(substr(md5(i::text), 1, 6)) || ' ' || initcap(substr(md5((i * 7)::text), 1, 8)) end,
                   case when i % 3 = 0 then 'Business ' || substr(md5((i * 13)::text), 1, 5) end,
                   case when i % 50 = 0 then '{vip}'::text[] else '{}'::text[] end, now() - (i || ' minutes')::interval, now()
            from generate_series(1, @count) as i;
            insert into contact_phones (slug, contact_id, account_id, phone_number, type, position, created_at)
            select 'p' || c.slug, c.id, c.account_id, '+1303' || lpad((2000000 + c.id % 7999999)::text, 7, '0'), 'Mobile', 0, c.created_at
            from contacts c where c.account_id = @account;
            analyze contacts;
            analyze contact_phones;
            """);
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("count", count);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// One conversation with <paramref name="count"/> messages, alternately from the account (sent by the user,
    /// delivered) and from the contact (received), one second apart: positions distinct and increasing, the
    /// conversation's count and latest activity set as the ledger would have left them. Returns its slug.
    /// </summary>
    public static async Task<string> TimelineAsync(NpgsqlDataSource db, long accountId, long userId, string phoneNumber, string accountNumber, int count)
    {
        await using var command = db.CreateCommand("""
            with conversation as (
                insert into conversations (slug, account_id, phone_number, account_phone_number, state, latest_activity_at, latest_inbound_at, message_count, created_at)
                values ('timeline', @account, @phone, @from, 'open', @start + make_interval(secs => @count), @start + make_interval(secs => @count), @count, @start)
                returning id)
            insert into messages (slug, account_id, conversation_id, phone_number, account_phone_number, direction, body, delivery_state, channel, source, flags,
                                  sender_id, carrier, carrier_message_id, timeline_position, latest_event_at, created_at)
            select 'tl' || i, @account, conversation.id, @phone, @from,
                   case when i % 2 = 0 then 'out' else 'in' end,
                   'Timeline message ' || i || ': ' || substr(md5(i::text), 1, 24),
                   case when i % 2 = 0 then 'delivered' else 'received' end, 'sms', case when i % 2 = 0 then 'api' else 'simulator' end, '{}'::text[],
                   case when i % 2 = 0 then @user end, 'simulator', 'SIMTL' || i,
                   @start + make_interval(secs => i), @start + make_interval(secs => i), @start + make_interval(secs => i)
            from conversation, generate_series(1, @count) as i;
            analyze conversations;
            analyze messages;
            """);
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("phone", phoneNumber);
        command.Parameters.AddWithValue("from", accountNumber);
        command.Parameters.AddWithValue("count", count);
        command.Parameters.AddWithValue("start", DateTime.UtcNow.AddDays(-30));
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
        return "timeline";
    }

    /// <summary>The message at a position of a conversation's timeline (newest first), to start the baseline's deep page after.</summary>
    public static async Task<(DateTime Position, long Id)> TimelineRowAtAsync(NpgsqlDataSource db, string conversationSlug, int offset)
    {
        await using var command = db.CreateCommand("""
            select m.timeline_position, m.id from messages m join conversations c on c.id = m.conversation_id
            where c.slug = @slug order by m.timeline_position desc, m.id desc offset @offset limit 1
            """);
        command.Parameters.AddWithValue("slug", conversationSlug);
        command.Parameters.AddWithValue("offset", offset);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetDateTime(0), reader.GetInt64(1));
    }

    /// <summary><paramref name="count"/> more conversations of one delivered message each, in the last day, for the list.</summary>
    public static async Task ConversationsAsync(NpgsqlDataSource db, long accountId, long userId, string accountNumber, int count)
    {
        await using var command = db.CreateCommand("""
            with conversations as (
                insert into conversations (slug, account_id, phone_number, account_phone_number, state, latest_activity_at, message_count, created_at)
                select 'cv' || i, @account, '+1303555' || lpad((1000 + i)::text, 4, '0'), @from, 'open', now() - make_interval(mins => i), 1, now() - make_interval(mins => i)
                from generate_series(1, @count) as i
                returning id, slug, phone_number, latest_activity_at)
            insert into messages (slug, account_id, conversation_id, phone_number, account_phone_number, direction, body, delivery_state, channel, source, flags,
                                  sender_id, carrier, carrier_message_id, timeline_position, latest_event_at, created_at)
            select 'm' || c.slug, @account, c.id, c.phone_number, @from, 'out', 'Hello from the bench, ' || c.slug, 'delivered', 'sms', 'api', '{}'::text[],
                   @user, 'simulator', 'SIM' || c.slug, c.latest_activity_at, c.latest_activity_at, c.latest_activity_at
            from conversations c;
            analyze conversations;
            analyze messages;
            """);
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("from", accountNumber);
        command.Parameters.AddWithValue("count", count);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The contact at a position of the alphabetical order, to start a deep keyset page from.</summary>
    public static async Task<(string Name, long Id)> RowAtAsync(NpgsqlDataSource db, long accountId, int offset)
    {
        await using var command = db.CreateCommand("select name, id from contacts where account_id = @account order by name, id offset @offset limit 1");
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("offset", offset);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetInt64(1));
    }

    public static async Task<string> SlugAtAsync(NpgsqlDataSource db, long accountId, int offset)
    {
        await using var command = db.CreateCommand("select slug from contacts where account_id = @account order by name, id offset @offset limit 1");
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("offset", offset);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<string> ExplainAsync(NpgsqlDataSource db, long accountId, string q)
    {
        await using var command = db.CreateCommand("""
            explain select c.id from contacts c
            where c.account_id = @account and (c.name ilike @pattern or c.business_name ilike @pattern)
            order by c.name, c.id limit 26
            """);
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("pattern", "%" + q + "%");
        var plan = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.AppendLine("    " + reader.GetString(0));
        }

        return plan.ToString();
    }
}
