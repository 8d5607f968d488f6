using Hypermedia.Server.Features.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Persistence;

/// <summary>The conversations area's tables on the shared context.</summary>
public static class ConversationsTables
{
    extension(HypermediaDbContext db)
    {
        public DbSet<Conversation> Conversations => db.Set<Conversation>();

        public DbSet<ConversationUserState> ConversationUserStates => db.Set<ConversationUserState>();

        public DbSet<ConversationAssignment> ConversationAssignments => db.Set<ConversationAssignment>();
    }
}
