using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.Invitations;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.OptOuts;
using Hypermedia.Server.Features.Users;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hypermedia.Server.Persistence;

public sealed class HypermediaDbContext(DbContextOptions<HypermediaDbContext> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<User> Users => Set<User>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<ContactPhone> ContactPhones => Set<ContactPhone>();

    public DbSet<ContactNote> ContactNotes => Set<ContactNote>();

    public DbSet<OptOut> OptOuts => Set<OptOut>();

    public DbSet<OptOutEvent> OptOutEvents => Set<OptOutEvent>();

    public DbSet<Message> Messages => Set<Message>();

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
    }
}
