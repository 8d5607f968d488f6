using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.ApiTokens;

public sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("api_tokens");
        builder.HasIndex(t => t.Slug).IsUnique();
        builder.HasIndex(t => t.UserId);
        builder.Property(t => t.Slug).HasMaxLength(16);
        builder.Property(t => t.Description).HasMaxLength(200);
        builder.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId);
    }
}
