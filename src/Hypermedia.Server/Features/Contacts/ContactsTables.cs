using Hypermedia.Server.Features.Contacts;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

/// <summary>
/// The area's tables on the shared context (in its namespace, so every user of the context sees them);
/// their mapping is in the area's entity configurations.
/// </summary>
public static class ContactsTables
{
    extension(HypermediaDbContext db)
    {
        public DbSet<Contact> Contacts => db.Set<Contact>();

        public DbSet<ContactPhone> ContactPhones => db.Set<ContactPhone>();

        public DbSet<ContactNote> ContactNotes => db.Set<ContactNote>();
    }
}
