using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.OptOuts;

public sealed class OptOutConfiguration : IEntityTypeConfiguration<OptOut>
{
    public void Configure(EntityTypeBuilder<OptOut> builder)
    {
        builder.ToTable("opt_outs");
        builder.HasIndex(o => new { o.AccountId, o.PhoneNumber }).IsUnique();
        builder.HasIndex(o => new { o.AccountId, o.Active, o.OptedOutAt });
        builder.HasIndex(o => o.PhoneNumber).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_opt_outs_number_trgm");
        builder.Property(o => o.PhoneNumber).HasMaxLength(16);
        builder.Property(o => o.CreatedVia).HasMaxLength(20);
        builder.HasOne(o => o.User).WithMany().HasForeignKey(o => o.UserId);
    }
}

/// <summary>The consent history is append-only: nothing updates or deletes these rows.</summary>
public sealed class OptOutEventConfiguration : IEntityTypeConfiguration<OptOutEvent>
{
    public void Configure(EntityTypeBuilder<OptOutEvent> builder)
    {
        builder.ToTable("opt_out_events");
        builder.HasIndex(e => new { e.AccountId, e.PhoneNumber, e.OccurredAt });
        builder.Property(e => e.PhoneNumber).HasMaxLength(16);
        builder.Property(e => e.Action).HasMaxLength(10);
        builder.Property(e => e.Via).HasMaxLength(20);
        builder.HasOne(e => e.User).WithMany().HasForeignKey(e => e.UserId);
    }
}
