using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.BulkSends;

/// <summary>
/// (account, created, id) serves the account's list newest first; the partial index on unfinished sends
/// serves the sweep. A recipient is unique per bulk send and number: duplicates collapse in the database.
/// </summary>
public sealed class BulkSendConfiguration : IEntityTypeConfiguration<BulkSend>
{
    public void Configure(EntityTypeBuilder<BulkSend> builder)
    {
        builder.ToTable("bulk_sends", t =>
        {
            t.HasCheckConstraint("ck_bulk_sends_state", "state IN ('scheduled', 'queued', 'sending', 'completed', 'cancelled')");
            t.HasCheckConstraint("ck_bulk_sends_channel", "channel IN ('sms', 'whatsapp')");
        });
        builder.HasIndex(b => b.Slug).IsUnique();
        builder.HasIndex(b => new { b.AccountId, b.CreatedAt, b.Id });
        builder.HasIndex(b => b.LatestEventAt).HasFilter("state IN ('queued', 'sending')").HasDatabaseName("ix_bulk_sends_unfinished");
        builder.Property(b => b.Slug).HasMaxLength(16);
        builder.Property(b => b.AccountPhoneNumber).HasMaxLength(16);
        builder.Property(b => b.State).HasMaxLength(16);
        builder.HasOne(b => b.Account).WithMany().HasForeignKey(b => b.AccountId);
        builder.HasOne(b => b.Sender).WithMany().HasForeignKey(b => b.SenderId);
        builder.HasOne<Attachments.Attachment>().WithMany().HasForeignKey(b => b.AttachmentId);
        builder.Property(b => b.Channel).HasMaxLength(20).HasDefaultValueSql("'sms'");
        builder.Property(b => b.TemplateValues).HasColumnType("jsonb");
        builder.HasOne<WhatsApp.WhatsAppTemplate>().WithMany().HasForeignKey(b => b.WhatsAppTemplateId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class AcceptedRecipientsConfiguration : IEntityTypeConfiguration<AcceptedRecipients>
{
    public void Configure(EntityTypeBuilder<AcceptedRecipients> builder)
    {
        builder.ToTable("bulk_send_accepted_recipients");
        builder.HasKey(a => a.BulkSendId);
        builder.HasOne(a => a.BulkSend).WithOne().HasForeignKey<AcceptedRecipients>(a => a.BulkSendId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class BulkSendRecipientConfiguration : IEntityTypeConfiguration<BulkSendRecipient>
{
    public void Configure(EntityTypeBuilder<BulkSendRecipient> builder)
    {
        builder.ToTable("bulk_send_recipients", t => t.HasCheckConstraint("ck_bulk_send_recipients_state", "state IN ('pending', 'sent', 'skipped', 'cancelled')"));
        builder.HasIndex(r => new { r.BulkSendId, r.PhoneNumber }).IsUnique();
        builder.HasIndex(r => new { r.BulkSendId, r.Position }).IsUnique();
        builder.Property(r => r.PhoneNumber).HasMaxLength(16);
        builder.Property(r => r.State).HasMaxLength(16);
        builder.Property(r => r.Reason).HasMaxLength(500);
        builder.Property(r => r.ProcessedBy).HasMaxLength(100);
        builder.HasOne(r => r.BulkSend).WithMany().HasForeignKey(r => r.BulkSendId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(r => r.Message).WithMany().HasForeignKey(r => r.MessageId);
    }
}
