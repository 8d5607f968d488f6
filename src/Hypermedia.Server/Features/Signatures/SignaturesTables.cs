using Hypermedia.Server.Features.Signatures;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

/// <summary>The area's table on the shared context; its mapping is in <see cref="SignatureConfiguration"/>.</summary>
public static class SignaturesTables
{
    extension(HypermediaDbContext db)
    {
        public DbSet<Signature> Signatures => db.Set<Signature>();
    }
}
