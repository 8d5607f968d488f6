using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.Messages;

public sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("messages");
        builder.HasIndex(m => m.Slug).IsUnique();
        builder.HasIndex(m => new { m.AccountId, m.PhoneNumber, m.CreatedAt });
        builder.Property(m => m.Slug).HasMaxLength(16);
        builder.Property(m => m.PhoneNumber).HasMaxLength(16);
        builder.Property(m => m.Direction).HasMaxLength(3);
    }
}
