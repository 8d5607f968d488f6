using Hypermedia.Server.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hypermedia.Server.Features.Users;

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users", t => t.HasCheckConstraint("ck_users_staff_level", "staff_level IN ('viewer', 'operator')"));
        builder.HasIndex(u => u.Slug).IsUnique();
        builder.HasIndex(u => u.Email).IsUnique();
        builder.Property(u => u.Slug).HasMaxLength(16);
        builder.Property(u => u.Name).HasMaxLength(200);
        builder.Property(u => u.Email).HasMaxLength(254);
        builder.Property(u => u.StaffLevel).HasMaxLength(16)
            .HasConversion(new ValueConverter<StaffLevel, string>(level => level.Name(), name => StaffLevels.Parse(name)!.Value));
        builder.Property(u => u.CustomValues).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        // jsonb_ops: serves the ? operator, "does any member hold a value for field n".
        builder.HasIndex(u => u.CustomValues).HasMethod("gin").HasDatabaseName("ix_users_custom_values");
    }
}

public sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.ToTable("memberships");
        builder.HasIndex(m => m.Slug).IsUnique();
        builder.HasIndex(m => new { m.UserId, m.AccountId }).IsUnique();
        builder.HasIndex(m => m.AccountId);
        builder.Property(m => m.Slug).HasMaxLength(16);
        builder.Property(m => m.Role).HasMaxLength(16);
        builder.HasOne(m => m.User).WithMany(u => u.Memberships).HasForeignKey(m => m.UserId);
        builder.HasOne(m => m.Account).WithMany().HasForeignKey(m => m.AccountId);
    }
}
