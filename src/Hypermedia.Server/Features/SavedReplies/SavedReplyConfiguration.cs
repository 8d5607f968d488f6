using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.SavedReplies;

public sealed class SavedReplyConfiguration : IEntityTypeConfiguration<SavedReply>
{
    public void Configure(EntityTypeBuilder<SavedReply> builder)
    {
        builder.ToTable("saved_replies");
        builder.HasIndex(r => r.Slug).IsUnique();

        // A user's replies in title order: the keyset of GET /users/{id}/saved_replies, per owner.
        builder.HasIndex(r => new { r.UserId, r.Title, r.Id });
        builder.Property(r => r.Slug).HasMaxLength(16);
        builder.Property(r => r.Title).HasMaxLength(SavedReplyRules.MaxTitle);
        builder.Property(r => r.Content).HasMaxLength(Messages.MessageRules.MaxBodyLength);
        builder.HasRowVersion(r => r.Version);
        builder.HasOne(r => r.User).WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Attachments).WithOne().HasForeignKey(a => a.SavedReplyId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class SavedReplyAttachmentConfiguration : IEntityTypeConfiguration<SavedReplyAttachment>
{
    public void Configure(EntityTypeBuilder<SavedReplyAttachment> builder)
    {
        builder.ToTable("saved_reply_attachments");
        builder.HasKey(a => new { a.SavedReplyId, a.AttachmentId });
        builder.HasIndex(a => a.AttachmentId);
        builder.HasOne(a => a.Attachment).WithMany().HasForeignKey(a => a.AttachmentId);
    }
}
