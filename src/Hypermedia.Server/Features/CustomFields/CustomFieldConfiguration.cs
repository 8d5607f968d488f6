using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.CustomFields;

public sealed class CustomFieldConfiguration : IEntityTypeConfiguration<CustomField>
{
    /// <summary>The unique (account, schema, slug) index: of two requests creating one slug at once, it lets one win.</summary>
    public const string SlugIndex = "ix_custom_fields_account_id_schema_slug";

    public void Configure(EntityTypeBuilder<CustomField> builder)
    {
        builder.ToTable("custom_fields");
        builder.HasIndex(f => new { f.AccountId, f.Schema, f.Slug }).IsUnique().HasDatabaseName(SlugIndex);
        builder.Property(f => f.Schema).HasMaxLength(16);
        builder.Property(f => f.Slug).HasMaxLength(CustomFieldRules.MaxSlug);
        builder.Property(f => f.Title).HasMaxLength(CustomFieldRules.MaxTitle);
        builder.Property(f => f.Type).HasMaxLength(16);
        builder.Property(f => f.Description).HasMaxLength(CustomFieldRules.MaxDescription);
        builder.HasOne(f => f.Account).WithMany().HasForeignKey(f => f.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(f => f.ValueKey);
    }
}
