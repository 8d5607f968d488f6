using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Querying.Tests;

/// <summary>An Npgsql context that is never connected: ToQueryString only needs the model and the provider.</summary>
internal sealed class TranslationDb : DbContext
{
    public DbSet<Contact> Contacts => Set<Contact>();

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.UseNpgsql("Host=localhost;Database=unused");

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<Contact>().HasOne(c => c.Account).WithMany().HasForeignKey(c => c.AccountId);
}
