using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.BulkSends;

/// <summary>
/// Turns a bulk send's accepted numbers into its recipients' rows, once: the first fan-out run does it before
/// claiming any, and a request that lists or cancels the recipients does it first, so nobody sees a send
/// whose recipients are missing. One statement: it deletes the accepted numbers' row and inserts a pending
/// recipient for each number; a second caller waits for the deleting one's lock, then finds nothing to write.
/// </summary>
public static class BulkSendRecipientRows
{
    /// <summary>Writes the rows if they are not written yet; returns how many it wrote.</summary>
    public static Task<int> WriteAsync(HypermediaDbContext db, long bulkSendId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            WITH accepted AS (
                DELETE FROM bulk_send_accepted_recipients WHERE bulk_send_id = {bulkSendId}
                RETURNING bulk_send_id, numbers, positions)
            INSERT INTO bulk_send_recipients (bulk_send_id, position, phone_number, state)
            SELECT a.bulk_send_id, u.position, u.phone_number, 'pending'
            FROM accepted a, unnest(a.positions, a.numbers) AS u(position, phone_number)
            ON CONFLICT DO NOTHING
            """, cancellationToken);
}
