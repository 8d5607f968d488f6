using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Conversations;

/// <summary>Conversations: one per account and outside number, their timelines and what users do with them.</summary>
public sealed class ConversationsApi : IApiArea
{
    public const string ConversationRoute = "conversation";

    public void MapRoutes(AreaRoutes routes)
    {
        // Routes arrive with the conversations work; the route name is what messages link to.
        routes.Authenticated.MapGet("/conversations/{id}", () => Results.NotFound()).WithName(ConversationRoute).OutsideTheApi("nobody yet");
    }
}
