using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Messages;

/// <summary>Messages: sending one, reading one, retrying one that failed.</summary>
public sealed class MessagesApi : IApiArea
{
    public const string MessageRoute = "message";
    public const string MessageAttachmentsRoute = "messageAttachments";
    public const string MessageRetryRoute = "messageRetry";

    public void MapRoutes(AreaRoutes routes)
    {
        var api = routes.Authenticated;
        api.MapGet("/messages/{id}", Get).WithName(MessageRoute)
            .Documented("Message", "Get a message")
            .Produces<MessageResource>().ProducesProblems(404);

        // Placeholders so MessageResource's links resolve on the conversations branch; the messages work maps the real routes.
        api.MapGet("/messages/{id}/attachments", () => Results.NotFound()).WithName(MessageAttachmentsRoute).OutsideTheApi("nobody yet");
        api.MapPost("/messages/{id}/retry", () => Results.NotFound()).WithName(MessageRetryRoute).OutsideTheApi("nobody yet");
    }

    /// <summary>Messages of the caller's accounts; another account's message is not there (404).</summary>
    public static IQueryable<Message> Visible(HypermediaDbContext db, AccountAccess access)
    {
        var accounts = access.MemberAccountIds();
        return db.Messages.Where(m => accounts.Contains(m.AccountId));
    }

    private static async Task<IResult> Get(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var view = await Visible(db, access).Where(m => m.Slug == id).Select(MessageView.Projection).SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("message");
        return ApiResults.Ok(MessageResource.From(view, iris));
    }
}
