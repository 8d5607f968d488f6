using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Users;

/// <summary>
/// An account that has an admin keeps one: the last active admin can be neither demoted, removed
/// nor discarded. Two admins demoting each other at the same moment must not both succeed, so the
/// rule is decided under row locks in PostgreSQL, not by a count read beforehand.
/// </summary>
/// <remarks>
/// Use inside a transaction, in this order: <see cref="LockUserAsync"/> before reading the user,
/// <see cref="LockAccountsAsync"/> before changing anything, <see cref="OrphanedAsync"/> after
/// saving and before committing. Every write that can take an admin away goes through here, so
/// the account locks serialise them and each one counts the admins the previous one left.
/// </remarks>
public sealed class LastAdminRule(HypermediaDbContext db)
{
    /// <summary>
    /// Locks the user's row, so their set of memberships cannot change between reading it and
    /// locking its accounts (a parallel request adding an admin membership waits here).
    /// </summary>
    public Task LockUserAsync(string userSlug, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE slug = {userSlug} FOR UPDATE", cancellationToken);

    /// <summary>
    /// Locks the accounts the user belongs to and answers those that have an active admin now.
    /// Accounts are locked in id order so two requests never wait on each other in a cycle.
    /// FOR NO KEY UPDATE, not FOR UPDATE: it does not block inserts of rows that reference the
    /// account (contacts, messages), only other writers of the account's admins.
    /// </summary>
    public async Task<Dictionary<long, string>> LockAccountsAsync(long userId, CancellationToken cancellationToken)
    {
        var accountIds = await db.Memberships.Where(m => m.UserId == userId).Select(m => m.AccountId).ToArrayAsync(cancellationToken);
        if (accountIds.Length == 0)
        {
            return [];
        }

        await db.Database.ExecuteSqlAsync(
            $"SELECT 1 FROM accounts WHERE id = ANY({accountIds}) ORDER BY id FOR NO KEY UPDATE", cancellationToken);
        return await AdministeredAsync(accountIds, cancellationToken);
    }

    /// <summary>The accounts of <paramref name="covered"/> left without an active admin by the changes saved since.</summary>
    public async Task<List<(long Id, string Slug)>> OrphanedAsync(Dictionary<long, string> covered, CancellationToken cancellationToken)
    {
        if (covered.Count == 0)
        {
            return [];
        }

        var stillCovered = await AdministeredAsync([.. covered.Keys], cancellationToken);
        return [.. covered.Where(a => !stillCovered.ContainsKey(a.Key)).Select(a => (a.Key, a.Value))];
    }

    public static string Message(string accountSlug) =>
        $"would leave the account '{accountSlug}' without an admin; make another member an admin first";

    /// <summary>Of the accounts given, those with at least one admin who is not discarded, by id with their slug.</summary>
    private Task<Dictionary<long, string>> AdministeredAsync(long[] accountIds, CancellationToken cancellationToken) =>
        db.Memberships
            .Where(m => accountIds.Contains(m.AccountId) && m.Role == Roles.Admin && m.User!.DiscardedAt == null)
            .Select(m => new { m.AccountId, m.Account!.Slug })
            .Distinct()
            .ToDictionaryAsync(a => a.AccountId, a => a.Slug, cancellationToken);
}
