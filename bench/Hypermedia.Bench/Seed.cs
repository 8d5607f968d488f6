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
