using Hypermedia.Server.Features.Users;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

/// <summary>
/// The area's tables on the shared context (in its namespace, so every user of the context sees them);
/// their mapping is in the area's entity configurations.
/// </summary>
public static class UsersTables
{
    extension(HypermediaDbContext db)
    {
        public DbSet<User> Users => db.Set<User>();

        public DbSet<Membership> Memberships => db.Set<Membership>();
    }
}
