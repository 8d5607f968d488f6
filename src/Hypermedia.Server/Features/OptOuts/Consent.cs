using System.Globalization;
using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.OptOuts;

/// <summary>
/// A number's consent in one account, changed the same way by the API and by inbound keywords: under a
/// lock, with every change appended to the number's history.
/// </summary>
public static class Consent
{
    public const string ViaUser = "User";
    public const string ViaKeyword = "Keyword";

    /// <summary>
    /// Every consent change of one number in one account runs under this lock, held until its
    /// transaction ends. A change reads the current state only after taking it, so concurrent
    /// changes apply one after another: the history alternates opt_out/opt_in and its newest
    /// event always agrees with the opt-out row. An advisory lock, because the first opt-out of a
    /// number has no row to lock yet.
    /// </summary>
    public static Task LockAsync(HypermediaDbContext db, long accountId, string number, CancellationToken cancellationToken) =>
        db.LockKeyAsync(string.Create(CultureInfo.InvariantCulture, $"opt_out:{accountId}:{number}"), cancellationToken);

    /// <summary>
    /// Opts the number out unless it already is; returns the opt-out and whether this call made it.
    /// Call inside a transaction, after <see cref="LockAsync"/>; the caller saves.
    /// </summary>
    public static async Task<(OptOut OptOut, bool Changed)> OptOutAsync(
        HypermediaDbContext db, long accountId, string number, string via, long? userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var optOut = await db.OptOuts.SingleOrDefaultAsync(o => o.AccountId == accountId && o.PhoneNumber == number, cancellationToken);
        if (optOut is { Active: true })
        {
            return (optOut, false);
        }

        if (optOut is null)
        {
            optOut = new OptOut { AccountId = accountId, PhoneNumber = number, CreatedVia = via };
            db.OptOuts.Add(optOut);
        }

        optOut.Active = true;
        optOut.OptedOutAt = now;
        optOut.CreatedVia = via;
        optOut.UserId = userId;
        db.OptOutEvents.Add(new OptOutEvent { AccountId = accountId, PhoneNumber = number, Action = "opt_out", Via = via, UserId = userId, OccurredAt = now });
        return (optOut, true);
    }

    /// <summary>
    /// Opts the number back in; false when it was not opted out. Call inside a transaction, after
    /// <see cref="LockAsync"/>; the caller saves.
    /// </summary>
    public static async Task<bool> OptInAsync(
        HypermediaDbContext db, long accountId, string number, string via, long? userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var optOut = await db.OptOuts.SingleOrDefaultAsync(o => o.AccountId == accountId && o.PhoneNumber == number && o.Active, cancellationToken);
        if (optOut is null)
        {
            return false;
        }

        optOut.Active = false;
        db.OptOutEvents.Add(new OptOutEvent { AccountId = accountId, PhoneNumber = number, Action = "opt_in", Via = via, UserId = userId, OccurredAt = now });
        return true;
    }
}
