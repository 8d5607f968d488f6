using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hypermedia.Server.Platform.Errors;

/// <summary>
/// The last line against races: handlers lock what they change (Persistence/Locks.cs), but a write that
/// still loses to a concurrent one is a conflict the client can retry, not a server error.
/// </summary>
public static class DatabaseConflicts
{
    private const string Retry = "Another request changed the same data at the same moment; read it again and retry.";

    /// <summary>A 409 for a failure caused by a concurrent write; null for anything else.</summary>
    public static ApiException? AsConflict(Exception exception) => exception switch
    {
        // A row changed or vanished between read and write (its concurrency token no longer matched).
        DbUpdateConcurrencyException => ApiException.Conflict(Retry),
        _ when FindPostgres(exception) is { SqlState: var state } && IsConcurrencyState(state) => ApiException.Conflict(Retry),
        _ => null,
    };

    private static bool IsConcurrencyState(string state) => state is
        PostgresErrorCodes.UniqueViolation // two requests inserted the same key
        or PostgresErrorCodes.ForeignKeyViolation // a row referenced by the write was deleted meanwhile
        or PostgresErrorCodes.SerializationFailure
        or PostgresErrorCodes.DeadlockDetected;

    private static PostgresException? FindPostgres(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PostgresException postgres)
            {
                return postgres;
            }
        }

        return null;
    }
}
