using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.WhatsApp;

public sealed class WhatsAppTemplateConfiguration : IEntityTypeConfiguration<WhatsAppTemplate>
{
    /// <summary>
    /// One live template per (account, title, language): of two requests creating the same one at once, it lets one in.
    /// Deleted templates are outside it, so a title can be used again. It also serves the default order (by title).
    /// </summary>
    public const string TitleIndex = "ix_whats_app_templates_account_id_title_language";

    public void Configure(EntityTypeBuilder<WhatsAppTemplate> builder)
    {
        builder.ToTable("whats_app_templates", t =>
        {
            t.HasCheckConstraint("ck_whats_app_templates_status", "status IN ('approved', 'pending', 'rejected')");
            t.HasCheckConstraint("ck_whats_app_templates_quality", "quality IN ('high', 'medium', 'low')");
        });
        builder.HasIndex(t => t.Slug).IsUnique();
        builder.HasIndex(t => new { t.AccountId, t.Title, t.Language }).IsUnique().HasFilter("deleted_at IS NULL").HasDatabaseName(TitleIndex);
        builder.HasIndex(t => t.CreatedById);
        builder.Property(t => t.Slug).HasMaxLength(16);
        builder.Property(t => t.Title).HasMaxLength(WhatsAppTemplateRules.MaxTitle);
        builder.Property(t => t.Language).HasMaxLength(16);
        builder.Property(t => t.Status).HasMaxLength(16);
        builder.Property(t => t.Quality).HasMaxLength(16);
        builder.Property(t => t.ContentSid).HasMaxLength(64);
        builder.Property(t => t.ContentType).HasMaxLength(32);
        builder.Property(t => t.Category).HasMaxLength(32);
        builder.Property(t => t.Content).HasColumnType("jsonb");
        builder.Property(t => t.Variables).HasColumnType("jsonb").HasDefaultValueSql("'[]'::jsonb");
        builder.HasOne(t => t.Account).WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.CreatedBy).WithMany().HasForeignKey(t => t.CreatedById).OnDelete(DeleteBehavior.SetNull);
    }
}
