using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.Contacts;

/// <summary>
/// Indexes for 100,000+ contacts per account: (account, name, id) serves the alphabetical keyset
/// pages; trigram GIN indexes serve <c>q</c>'s ILIKE '%…%' over names, businesses and numbers.
/// </summary>
public sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ToTable("contacts");
        builder.HasIndex(c => c.Slug).IsUnique();
        builder.HasIndex(c => new { c.AccountId, c.Name, c.Id });
        builder.HasIndex(c => new { c.AccountId, c.CreatedAt });
        builder.HasIndex(c => c.Name).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_contacts_name_trgm");
        builder.HasIndex(c => c.BusinessName).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_contacts_business_name_trgm");
        builder.Property(c => c.Slug).HasMaxLength(16);
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.BusinessName).HasMaxLength(200);
        builder.HasOne(c => c.Account).WithMany().HasForeignKey(c => c.AccountId);
        builder.HasMany(c => c.Phones).WithOne(p => p.Contact).HasForeignKey(p => p.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasRowVersion(c => c.Version);
        builder.Property(c => c.CustomValues).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        // jsonb_ops (not jsonb_path_ops): it serves the ? operator, "does any contact hold a value for field n".
        builder.HasIndex(c => c.CustomValues).HasMethod("gin").HasDatabaseName("ix_contacts_custom_values");
    }
}

public sealed class ContactPhoneConfiguration : IEntityTypeConfiguration<ContactPhone>
{
    public void Configure(EntityTypeBuilder<ContactPhone> builder)
    {
        builder.ToTable("contact_phones");
        builder.HasIndex(p => p.Slug).IsUnique();
        builder.HasIndex(p => new { p.AccountId, p.PhoneNumber });
        // A contact lists a number once per extension (a switchboard's extensions are different phones);
        // NULLS NOT DISTINCT makes "no extension" count as one value, so a bare number is listed once too.
        builder.HasIndex(p => new { p.ContactId, p.PhoneNumber, p.Extension }).IsUnique().AreNullsDistinct(false);
        builder.HasIndex(p => p.PhoneNumber).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_contact_phones_number_trgm");
        builder.Property(p => p.Slug).HasMaxLength(16);
        builder.Property(p => p.PhoneNumber).HasMaxLength(16);
        builder.Property(p => p.Extension).HasMaxLength(10);
        builder.Property(p => p.Type).HasMaxLength(30);
    }
}

public sealed class ContactNoteConfiguration : IEntityTypeConfiguration<ContactNote>
{
    public void Configure(EntityTypeBuilder<ContactNote> builder)
    {
        builder.ToTable("contact_notes");
        builder.HasIndex(n => n.Slug).IsUnique();
        builder.HasIndex(n => new { n.ContactId, n.CreatedAt });
        builder.Property(n => n.Slug).HasMaxLength(16);
        builder.Property(n => n.Content).HasMaxLength(10_000);
        builder.HasOne(n => n.Contact).WithMany().HasForeignKey(n => n.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(n => n.User).WithMany().HasForeignKey(n => n.UserId);
    }
}
