using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Conversations;

/// <summary>The conversation a new message belongs to, as <see cref="ConversationLedger.RecordMessageAsync"/> left it.</summary>
public sealed record ConversationEntry(long Id, string Slug, string State);

/// <summary>
/// Keeps a conversation in step with its messages. One statement creates the conversation on its first
/// message or updates it on every later one (count, latest activity, the account number used; an inbound
/// message also reopens a closed conversation), so two first messages racing each other meet in one row
/// (the unique (account, number) index) and the row lock it takes orders them.
/// </summary>
public static class ConversationLedger
{
    /// <summary>Call inside the transaction that inserts the message.</summary>
    public static async Task<ConversationEntry> RecordMessageAsync(
        HypermediaDbContext db, long accountId, string phoneNumber, string accountPhoneNumber, DateTimeOffset position, bool inbound, CancellationToken cancellationToken)
    {
        DateTimeOffset? inboundAt = inbound ? position : null;
        var entry = await db.Database.SqlQuery<ConversationEntry>($"""
            INSERT INTO conversations (slug, account_id, phone_number, account_phone_number, state, latest_activity_at, latest_inbound_at, message_count, created_at)
            VALUES ({Slugs.New()}, {accountId}, {phoneNumber}, {accountPhoneNumber}, 'open', {position}, {inboundAt}, 1, {position})
            ON CONFLICT (account_id, phone_number) DO UPDATE SET
                message_count = conversations.message_count + 1,
                account_phone_number = excluded.account_phone_number,
                latest_activity_at = GREATEST(conversations.latest_activity_at, excluded.latest_activity_at),
                latest_inbound_at = GREATEST(conversations.latest_inbound_at, excluded.latest_inbound_at),
                state = CASE WHEN excluded.latest_inbound_at IS NOT NULL AND conversations.state = 'closed' THEN 'open' ELSE conversations.state END
            RETURNING id AS "Id", slug AS "Slug", state AS "State"
            """).AsAsyncEnumerable().SingleAsync(cancellationToken);
        if (inbound)
        {
            // Unread again for everyone who had read it; users with no state row see it unread already.
            await db.ConversationUserStates.Where(s => s.ConversationId == entry.Id && s.Read)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Read, false), cancellationToken);
        }

        return entry;
    }

    /// <summary>
    /// <see cref="RecordMessageAsync"/> for one outgoing message to each of <paramref name="phoneNumbers"/>
    /// (distinct), in one statement: the conversation id of each number. Rows are taken in number order, so
    /// two fan-outs over overlapping numbers lock conversations in the same order and never deadlock.
    /// </summary>
    public static async Task<Dictionary<string, long>> RecordOutgoingMessagesAsync(
        HypermediaDbContext db, long accountId, string[] phoneNumbers, string accountPhoneNumber, DateTimeOffset position, CancellationToken cancellationToken)
    {
        var slugs = phoneNumbers.Select(_ => Slugs.New()).ToArray();
        var rows = await db.Database.SqlQuery<ConversationOfNumber>($"""
            INSERT INTO conversations (slug, account_id, phone_number, account_phone_number, state, latest_activity_at, latest_inbound_at, message_count, created_at)
            SELECT u.slug, {accountId}, u.phone_number, {accountPhoneNumber}, 'open', {position}, NULL, 1, {position}
            FROM unnest({slugs}::text[], {phoneNumbers}::text[]) AS u(slug, phone_number)
            ORDER BY u.phone_number
            ON CONFLICT (account_id, phone_number) DO UPDATE SET
                message_count = conversations.message_count + 1,
                account_phone_number = excluded.account_phone_number,
                latest_activity_at = GREATEST(conversations.latest_activity_at, excluded.latest_activity_at)
            RETURNING id AS "Id", phone_number AS phone_number
            """).AsAsyncEnumerable().ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.PhoneNumber, r => r.Id, StringComparer.Ordinal);
    }

    private sealed record ConversationOfNumber(long Id, string PhoneNumber);
}
