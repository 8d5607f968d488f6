using Hypermedia.Server.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

/// <summary>
/// The area's tables on the shared context (in its namespace, so every user of the context sees them);
/// their mapping is in the area's entity configurations.
/// </summary>
public static class AccountsTables
{
    extension(HypermediaDbContext db)
    {
        public DbSet<Account> Accounts => db.Set<Account>();
    }
}
