using Hypermedia.Server.Features.OptOuts;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

/// <summary>
/// The area's tables on the shared context (in its namespace, so every user of the context sees them);
/// their mapping is in the area's entity configurations.
/// </summary>
public static class OptOutsTables
{
    extension(HypermediaDbContext db)
    {
        public DbSet<OptOut> OptOuts => db.Set<OptOut>();

        public DbSet<OptOutEvent> OptOutEvents => db.Set<OptOutEvent>();
    }
}
