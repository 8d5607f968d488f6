using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Hypermedia.Server.Persistence;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the app (which would start
/// a database). Adding a migration never connects, so the connection string is only a placeholder.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<HypermediaDbContext>
{
    public HypermediaDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<HypermediaDbContext>)HypermediaDbContext
            .Configure(new DbContextOptionsBuilder<HypermediaDbContext>(), "Host=localhost;Database=design_time").Options);
}
