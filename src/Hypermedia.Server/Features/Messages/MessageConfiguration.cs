using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// (conversation, timeline position, id) serves the timeline's keyset pages; a carrier's id is unique
/// per carrier, so a repeated status callback or inbound webhook finds the one message it is about.
/// </summary>
public sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("messages", t => t.HasCheckConstraint("ck_messages_channel", "channel IN ('sms', 'whatsapp')"));
        builder.HasIndex(m => m.Slug).IsUnique();
        builder.HasIndex(m => new { m.AccountId, m.PhoneNumber, m.CreatedAt });
        builder.HasIndex(m => new { m.ConversationId, m.TimelinePosition, m.Id });
        builder.HasIndex(m => new { m.Carrier, m.CarrierMessageId }).IsUnique().HasFilter("carrier_message_id IS NOT NULL");
        builder.HasIndex(m => m.LatestEventAt).HasFilter("delivery_state = 'queued'").HasDatabaseName("ix_messages_queued");
        builder.HasIndex(m => new { m.BulkSendId, m.PhoneNumber }).IsUnique().HasFilter("bulk_send_id IS NOT NULL");
        builder.HasIndex(m => m.ScheduledAt).HasFilter("delivery_state = 'scheduled'").HasDatabaseName("ix_messages_scheduled");
        builder.Property(m => m.ScheduledJobId).HasMaxLength(64);
        builder.Property(m => m.Slug).HasMaxLength(16);
        builder.Property(m => m.PhoneNumber).HasMaxLength(16);
        builder.Property(m => m.AccountPhoneNumber).HasMaxLength(16);
        builder.Property(m => m.Direction).HasMaxLength(3);
        builder.Property(m => m.DeliveryState).HasMaxLength(20);
        builder.Property(m => m.Channel).HasMaxLength(20).HasDefaultValueSql("'sms'");

        // WhatsAppWindow: "did this number send this account a WhatsApp message in the last 24 hours", on WhatsApp's few rows alone.
        // Named, so it is a second index on these columns rather than a change to the first.
        builder.HasIndex(m => new { m.AccountId, m.PhoneNumber, m.CreatedAt }, "ix_messages_whats_app_inbound")
            .HasFilter("channel = 'whatsapp' AND direction = 'in'").HasDatabaseName("ix_messages_whats_app_inbound");
        builder.HasIndex(m => m.WhatsAppTemplateId).HasFilter("whats_app_template_id IS NOT NULL");
        builder.Property(m => m.TemplateValues).HasColumnType("jsonb");
        builder.HasOne(m => m.WhatsAppTemplate).WithMany().HasForeignKey(m => m.WhatsAppTemplateId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(m => m.Source).HasMaxLength(40);
        builder.Property(m => m.Carrier).HasMaxLength(20);
        builder.Property(m => m.CarrierMessageId).HasMaxLength(64);
        builder.Property(m => m.FailureReason).HasMaxLength(500);
        builder.HasOne(m => m.Conversation).WithMany().HasForeignKey(m => m.ConversationId);
        builder.HasOne(m => m.BulkSend).WithMany().HasForeignKey(m => m.BulkSendId);
        builder.HasOne(m => m.Sender).WithMany().HasForeignKey(m => m.SenderId);
    }
}
