using Hypermedia.Server.Features.SavedReplies;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

/// <summary>The area's tables on the shared context; their mapping is in <see cref="SavedReplyConfiguration"/>.</summary>
public static class SavedRepliesTables
{
    extension(HypermediaDbContext db)
    {
        public DbSet<SavedReply> SavedReplies => db.Set<SavedReply>();

        public DbSet<SavedReplyAttachment> SavedReplyAttachments => db.Set<SavedReplyAttachment>();
    }
}
