using Hypermedia.Server.Features.Attachments;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

/// <summary>The attachments area's tables on the shared context; their mapping is in its entity configurations.</summary>
public static class AttachmentsTables
{
    extension(HypermediaDbContext db)
    {
        public DbSet<Attachment> Attachments => db.Set<Attachment>();

        public DbSet<MessageAttachment> MessageAttachments => db.Set<MessageAttachment>();
    }
}
