using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hypermedia.Server.Persistence;

/// <summary>
/// The one context. Areas add their tables as extension properties (<c>XxxTables</c>) and their
/// mapping as entity configurations in their own folders, found here from the assembly.
/// </summary>
public sealed class HypermediaDbContext(DbContextOptions<HypermediaDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>Data Protection's keys (dashboard cookies, antiforgery), shared by every server on the database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The one place the provider is set up, for the app and for design-time tools.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(WithSessionSettings(connectionString), npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();

    /// <summary>
    /// PostgreSQL's default random_page_cost (4) assumes spinning disks and makes the planner skip the
    /// trigram indexes that serve q searches in favour of sequential scans 4x slower on 100,000
    /// contacts (docs/benchmarks.md). 1.1 is the usual value for SSDs and a cached working set; it is
    /// set for this app's sessions only, not for the server.
    /// </summary>
    private static string WithSessionSettings(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = string.Join(' ', new[] { builder.Options, "-c random_page_cost=1.1" }.Where(o => !string.IsNullOrWhiteSpace(o)));
        return builder.ConnectionString;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Trigram indexes make q's ILIKE '%…%' searches use an index.
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HypermediaDbContext).Assembly);
        NameForeignKeysByTables(modelBuilder);
    }

    /// <summary>
    /// fk_{table}_{principal table}_{columns}, from the final table names. The naming convention names a
    /// key after the principal's table as known when the relationship is configured, which depends on
    /// the order the areas' configurations run in; this makes it independent of that order.
    /// </summary>
    private static void NameForeignKeysByTables(ModelBuilder modelBuilder)
    {
        foreach (var key in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetDeclaredForeignKeys()))
        {
            var columns = string.Join('_', key.Properties.Select(p => p.GetColumnName()));
            key.SetConstraintName($"fk_{key.DeclaringEntityType.GetTableName()}_{key.PrincipalEntityType.GetTableName()}_{columns}");
        }
    }
}
