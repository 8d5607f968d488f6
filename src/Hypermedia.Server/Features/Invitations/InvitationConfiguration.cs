using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Features.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.Invitations;

public sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("invitations");
        builder.HasIndex(i => i.Slug).IsUnique();

        // At most one open invitation per user, whatever two admins do at the same moment (the loser
        // of a race gets a 409). Issuing revokes the older open ones first, expired ones included.
        builder.HasIndex(i => i.UserId).IsUnique().HasFilter("used_at IS NULL AND revoked_at IS NULL");
        builder.Property(i => i.Slug).HasMaxLength(16);
        builder.HasOne(i => i.User).WithMany().HasForeignKey(i => i.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(i => i.IssuedById).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<ApiToken>().WithMany().HasForeignKey(i => i.ApiTokenId).OnDelete(DeleteBehavior.SetNull);
    }
}
