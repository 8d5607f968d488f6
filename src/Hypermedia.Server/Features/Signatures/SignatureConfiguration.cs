using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.Signatures;

public sealed class SignatureConfiguration : IEntityTypeConfiguration<Signature>
{
    /// <summary>One per user: of two requests creating a user's signature at once, it lets one in.</summary>
    public const string UserIndex = "ix_signatures_user_id";

    public void Configure(EntityTypeBuilder<Signature> builder)
    {
        builder.ToTable("signatures");
        builder.HasIndex(s => s.UserId).IsUnique().HasDatabaseName(UserIndex);
        builder.Property(s => s.Content).HasMaxLength(SignatureRules.MaxContent);
        builder.HasRowVersion(s => s.Version);
        builder.HasOne(s => s.User).WithOne().HasForeignKey<Signature>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
