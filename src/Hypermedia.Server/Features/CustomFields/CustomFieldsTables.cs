using Hypermedia.Server.Features.CustomFields;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

/// <summary>The area's table on the shared context; its mapping is in <see cref="CustomFieldConfiguration"/>.</summary>
public static class CustomFieldsTables
{
    extension(HypermediaDbContext db)
    {
        public DbSet<CustomField> CustomFields => db.Set<CustomField>();
    }
}
