using Hypermedia.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hypermedia.Server.Persistence;

public static class SaveChangesExtensions
{
    /// <summary>
    /// Saves, turning a unique-index violation into a 409: the index is the real guard against two
    /// concurrent requests claiming the same slug, email or number; the handler's pre-check only gives a nicer message.
    /// <paramref name="answerFor"/> may answer a particular index differently (null: the 409).
    /// </summary>
    public static async Task SaveOrConflictAsync(this DbContext db, string conflictDetail, CancellationToken cancellationToken = default,
        Func<PostgresException, ApiException?>? answerFor = null)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            throw answerFor?.Invoke(unique) ?? ApiException.Conflict(conflictDetail);
        }
    }
}
