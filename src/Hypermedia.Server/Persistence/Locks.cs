using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hypermedia.Server.Persistence;

/// <summary>
/// How strongly <see cref="Locks.TryLockRowAsync{TEntity}"/> locks a row (PostgreSQL's row-level lock modes).
/// </summary>
public enum RowLock
{
    /// <summary>For a delete: waits for, and blocks, every other lock on the row.</summary>
    ForUpdate,

    /// <summary>For changing the row or what hangs under it: one writer at a time, rows referencing it may still be added.</summary>
    ForNoKeyUpdate,

    /// <summary>For adding a row that references this one: only waits for (and blocks) a delete.</summary>
    ForKeyShare,
}

/// <summary>
/// Serialises concurrent requests in the database, where every server process sees the same locks.
/// Both kinds of lock last until the surrounding transaction ends, so callers must have begun one.
/// </summary>
public static class Locks
{
    /// <summary>
    /// Locks the row of <typeparamref name="TEntity"/> with primary key <paramref name="id"/>; false when
    /// no such row exists any more (a concurrent delete won). Load the row only after this returns: in
    /// READ COMMITTED, a statement started after the lock sees everything the previous holder committed.
    /// </summary>
    public static async Task<bool> TryLockRowAsync<TEntity>(this DbContext db, long id, RowLock strength, CancellationToken cancellationToken)
        where TEntity : class
    {
        var transaction = RequireTransaction(db);
        var entityType = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity)} is not mapped.");
        var table = entityType.GetSchemaQualifiedTableName() ?? throw new InvalidOperationException($"{typeof(TEntity)} has no table.");
        var mode = strength switch
        {
            RowLock.ForUpdate => "FOR UPDATE",
            RowLock.ForNoKeyUpdate => "FOR NO KEY UPDATE",
            _ => "FOR KEY SHARE",
        };

        // The table name comes from the model, never from a request; the id is a parameter.
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = $"SELECT 1 FROM \"{table.Replace(".", "\".\"", StringComparison.Ordinal)}\" WHERE id = @id {mode}";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "id";
        parameter.Value = id;
        command.Parameters.Add(parameter);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// Takes a transaction-scoped advisory lock on <paramref name="key"/>, for state that has no row to
    /// lock until the first request creates it. Keys are hashed to PostgreSQL's 64-bit lock space by the
    /// server, so every process agrees; a rare collision only makes two unrelated keys wait for each other.
    /// </summary>
    public static async Task LockKeyAsync(this DbContext db, string key, CancellationToken cancellationToken)
    {
        RequireTransaction(db);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", cancellationToken);
    }

    private static IDbContextTransaction RequireTransaction(DbContext db) =>
        db.Database.CurrentTransaction
        ?? throw new InvalidOperationException("A lock outside a transaction is released at once; begin a transaction first.");
}
