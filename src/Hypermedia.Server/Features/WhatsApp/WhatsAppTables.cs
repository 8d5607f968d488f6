using Hypermedia.Server.Features.WhatsApp;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

/// <summary>The area's table on the shared context; its mapping is in <see cref="WhatsAppTemplateConfiguration"/>.</summary>
public static class WhatsAppTables
{
    extension(HypermediaDbContext db)
    {
        public DbSet<WhatsAppTemplate> WhatsAppTemplates => db.Set<WhatsAppTemplate>();
    }
}
