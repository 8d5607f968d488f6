using Hypermedia.Server.Features.BulkSends;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

/// <summary>The bulk-send area's tables on the shared context; their mapping is in its entity configurations.</summary>
public static class BulkSendsTables
{
    extension(HypermediaDbContext db)
    {
        public DbSet<BulkSend> BulkSends => db.Set<BulkSend>();

        public DbSet<BulkSendRecipient> BulkSendRecipients => db.Set<BulkSendRecipient>();
    }
}
