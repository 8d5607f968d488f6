using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Auth;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Invitations;

/// <summary>Creates and revokes invitations; the key is returned once and only its hash is stored.</summary>
public sealed class InvitationIssuer(HypermediaDbContext db, TimeProvider clock)
{
    /// <summary>Long enough to reach someone over a weekend, short enough that a forgotten link dies.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>
    /// Adds an invitation for <paramref name="user"/> to the context, to be saved with the caller's
    /// other changes (a new user and their invitation are written together).
    /// </summary>
    public (Invitation Record, string Key) Add(User user, long issuedById)
    {
        var issued = SecretFormat.Invitation.Issue();
        var now = clock.GetUtcNow();
        var record = new Invitation
        {
            Slug = issued.Id,
            User = user,
            IssuedById = issuedById,
            SecretHash = issued.SecretHash,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
        db.Invitations.Add(record);
        return (record, issued.Text);
    }

    /// <summary>Revokes the user's unused invitations (expired ones too, so they no longer count as open).</summary>
    public Task<int> RevokeOpenAsync(long userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return db.Invitations.Where(i => i.UserId == userId && i.UsedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now), cancellationToken);
    }
}
