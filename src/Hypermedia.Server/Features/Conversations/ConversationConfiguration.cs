using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Features.Conversations;

/// <summary>
/// One conversation per (account, number), enforced by a unique index so two first messages racing
/// each other meet in one row; (account, latest activity, id) serves the newest-first keyset pages.
/// </summary>
public sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("conversations");
        builder.HasIndex(c => c.Slug).IsUnique();
        builder.HasIndex(c => new { c.AccountId, c.PhoneNumber }).IsUnique();
        builder.HasIndex(c => new { c.AccountId, c.LatestActivityAt, c.Id });
        builder.Property(c => c.Slug).HasMaxLength(16);
        builder.Property(c => c.PhoneNumber).HasMaxLength(16);
        builder.Property(c => c.AccountPhoneNumber).HasMaxLength(16);
        builder.Property(c => c.State).HasMaxLength(10);
        builder.HasOne(c => c.Account).WithMany().HasForeignKey(c => c.AccountId);
        builder.HasOne(c => c.AssignedContact).WithMany().HasForeignKey(c => c.AssignedContactId).OnDelete(DeleteBehavior.SetNull);
        builder.HasRowVersion(c => c.Version);
    }
}

public sealed class ConversationUserStateConfiguration : IEntityTypeConfiguration<ConversationUserState>
{
    public void Configure(EntityTypeBuilder<ConversationUserState> builder)
    {
        builder.ToTable("conversation_user_states");
        builder.HasKey(s => new { s.ConversationId, s.UserId });
        builder.HasOne<Conversation>().WithMany().HasForeignKey(s => s.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Users.User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ConversationAssignmentConfiguration : IEntityTypeConfiguration<ConversationAssignment>
{
    public void Configure(EntityTypeBuilder<ConversationAssignment> builder)
    {
        builder.ToTable("conversation_assignments");
        builder.HasIndex(a => a.Slug).IsUnique();
        builder.HasIndex(a => new { a.ConversationId, a.AssigneeId }).IsUnique();
        builder.Property(a => a.Slug).HasMaxLength(16);
        builder.HasOne(a => a.Conversation).WithMany().HasForeignKey(a => a.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(a => a.Assignee).WithMany().HasForeignKey(a => a.AssigneeId);
        builder.HasOne(a => a.Assigner).WithMany().HasForeignKey(a => a.AssignerId).OnDelete(DeleteBehavior.SetNull);
    }
}
