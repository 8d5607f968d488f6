using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.Accounts;

public sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("accounts");
        builder.HasIndex(a => a.Slug).IsUnique();
        builder.Property(a => a.Slug).HasMaxLength(63);
        builder.Property(a => a.Name).HasMaxLength(200);
        builder.Property(a => a.Settings).HasColumnType("jsonb");
        builder.HasOne(a => a.Parent).WithMany().HasForeignKey(a => a.ParentId).OnDelete(DeleteBehavior.Restrict);
        // Inbound traffic finds its account by number; uniqueness across accounts is checked on create.
        builder.HasIndex(a => a.PhoneNumbers).HasMethod("gin");
        // Inbound WhatsApp finds its account by this number; the index also keeps it one account's.
        builder.Property(a => a.WhatsAppPhoneNumber).HasMaxLength(16);
        builder.HasIndex(a => a.WhatsAppPhoneNumber).IsUnique().HasFilter("whats_app_phone_number IS NOT NULL")
            .HasDatabaseName(Features.WhatsApp.WhatsAppSettings.PhoneNumberIndex);
        builder.HasRowVersion(a => a.Version);
    }
}
