using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.SavedReplies;

/// <summary>
/// Who sees and sends which saved replies, in one place: a user sees their own and the shared replies of
/// users they share an account with; a reply may be sent from an account when it is the sender's own, or
/// shared by a member of that account. Only the owner changes or deletes one.
/// </summary>
public static class SavedReplyAccess
{
    /// <summary>The replies <paramref name="userId"/> sees (<c>filter=all</c>).</summary>
    public static IQueryable<SavedReply> Visible(HypermediaDbContext db, long userId)
    {
        var accounts = db.Memberships.Where(m => m.UserId == userId).Select(m => m.AccountId);
        var colleagues = db.Memberships.Where(m => accounts.Contains(m.AccountId)).Select(m => m.UserId);
        return db.SavedReplies.Where(r => r.UserId == userId || (r.Shared && colleagues.Contains(r.UserId)));
    }

    /// <summary>The reply by slug, if <paramref name="userId"/> may send it from <paramref name="accountId"/>.</summary>
    public static Task<SavedReply?> SendableAsync(HypermediaDbContext db, string slug, long userId, long accountId, CancellationToken cancellationToken)
    {
        var members = db.Set<Membership>().Where(m => m.AccountId == accountId).Select(m => m.UserId);
        return db.SavedReplies.AsNoTracking().Include(r => r.Attachments).ThenInclude(a => a.Attachment)
            .Where(r => r.Slug == slug && (r.UserId == userId || (r.Shared && members.Contains(r.UserId))))
            .SingleOrDefaultAsync(cancellationToken);
    }
}
