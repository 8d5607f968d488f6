using System.Linq.Expressions;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Staff;

/// <summary>
/// Gives and takes staff levels, for the API and the command line alike. Changes are serialised by one
/// advisory lock, so two operators revoking each other at once cannot leave the server without one.
/// </summary>
public sealed class StaffGrants(HypermediaDbContext db)
{
    private const string LockKey = "staff-levels";

    /// <summary>
    /// Sets the level of the active user <paramref name="which"/> selects (null: no longer staff) and
    /// returns the user with their previous level. With <paramref name="keepAnOperator"/>, taking the
    /// last operator's level is a 409 (the API; the command line is the way back in and may).
    /// </summary>
    public async Task<(User User, StaffLevel? Previous)> SetLevelAsync(Expression<Func<User, bool>> which, StaffLevel? level,
        bool keepAnOperator, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockKeyAsync(LockKey, cancellationToken);
        var user = await db.Users.Where(u => u.DiscardedAt == null).SingleOrDefaultAsync(which, cancellationToken)
            ?? throw ApiException.NotFound("user");
        var previous = user.StaffLevel;
        if (keepAnOperator && previous == StaffLevel.Operator && level != StaffLevel.Operator
            && !await db.Users.AnyAsync(u => u.Id != user.Id && u.StaffLevel == StaffLevel.Operator && u.DiscardedAt == null, cancellationToken))
        {
            throw ApiException.Conflict("This is the last staff operator; make someone else an operator first.");
        }

        user.StaffLevel = level;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (user, previous);
    }
}
