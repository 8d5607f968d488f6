using Hypermedia.Server.Features.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.Attachments;

public sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> builder)
    {
        builder.ToTable("attachments");
        builder.HasIndex(a => a.Slug).IsUnique();
        builder.HasIndex(a => new { a.AccountId, a.CreatedAt });
        builder.HasIndex(a => a.Key);
        builder.Property(a => a.Slug).HasMaxLength(16);
        builder.Property(a => a.Key).HasMaxLength(80);
        builder.Property(a => a.ContentType).HasMaxLength(100);
        builder.Property(a => a.OriginalFilename).HasMaxLength(255);
        builder.Property(a => a.SourceUrl).HasMaxLength(2048);
        builder.HasOne(a => a.Account).WithMany().HasForeignKey(a => a.AccountId);
        builder.HasOne<Users.User>().WithMany().HasForeignKey(a => a.CreatedById).OnDelete(DeleteBehavior.SetNull);
    }
}

public sealed class MessageAttachmentConfiguration : IEntityTypeConfiguration<MessageAttachment>
{
    public void Configure(EntityTypeBuilder<MessageAttachment> builder)
    {
        builder.ToTable("message_attachments");
        builder.HasKey(m => new { m.MessageId, m.AttachmentId });
        builder.HasIndex(m => m.AttachmentId);
        builder.HasOne<Message>().WithMany().HasForeignKey(m => m.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.Attachment).WithMany().HasForeignKey(m => m.AttachmentId);
    }
}
