using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.OptOuts;
using Hypermedia.Server.Features.Users;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

public sealed class HypermediaDbContext(DbContextOptions<HypermediaDbContext> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<User> Users => Set<User>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<ContactPhone> ContactPhones => Set<ContactPhone>();

    public DbSet<ContactNote> ContactNotes => Set<ContactNote>();

    public DbSet<OptOut> OptOuts => Set<OptOut>();

    public DbSet<OptOutEvent> OptOutEvents => Set<OptOutEvent>();

    public DbSet<Message> Messages => Set<Message>();

    /// <summary>The one place the provider is set up, for the app and for design-time tools.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Trigram indexes make q's ILIKE '%…%' searches use an index.
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HypermediaDbContext).Assembly);
    }
}
