using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Attachments;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.SavedReplies;

/// <summary>
/// Saved replies (TextUs §2.3): a user creates and lists their own under <c>/users/{id}/saved_replies</c>
/// (only for themself: 403 for another user they can see, 404 otherwise); a reply is read by whoever sees it
/// (<see cref="SavedReplyAccess"/>) and changed or deleted by its owner alone (403 for the others who see it).
/// </summary>
public sealed class SavedRepliesApi : IApiArea
{
    public const string UserSavedRepliesRoute = "userSavedReplies";
    public const string SavedReplyRoute = "savedReply";
    public const string SavedReplyAttachmentsRoute = "savedReplyAttachments";

    public void MapRoutes(AreaRoutes routes)
    {
        var api = routes.Authenticated;
        api.MapGet("/users/{id}/saved_replies", List).WithName(UserSavedRepliesRoute)
            .Documented("User.savedReplies", "Your saved replies by title: filter=all (the default) your own and those shared by members of your accounts, filter=mine your own; q searches title and content")
            .Produces<HydraCollection<SavedReplyResource>>().ProducesProblems(403, 404, 422);
        api.MapPost("/users/{id}/saved_replies", Create)
            .Documented("User.savedReplies", "Create a saved reply of your own (fields bare or wrapped in saved_reply); attachments name a file uploaded to one of your accounts")
            .AcceptsBody<SavedReplyRequest>().Produces<SavedReplyResource>(201).ProducesProblems(403, 404);
        api.MapGet("/saved_replies/{id}", Get).WithName(SavedReplyRoute)
            .Documented("SavedReply", "Get a saved reply you see: your own, or one shared by a member of your accounts")
            .Produces<SavedReplyResource>().ProducesProblems(404);
        api.MapPut("/saved_replies/{id}", Update)
            .Documented("SavedReply", "Change your saved reply; omitted fields stay, attachments given replace them; If-Match makes it conditional (412)")
            .AcceptsBody<SavedReplyRequest>().Produces<SavedReplyResource>().ProducesProblems(403, 404, 412);
        api.MapDelete("/saved_replies/{id}", Delete)
            .Documented("SavedReply", "Delete your saved reply (messages sent from it keep their body and file); If-Match makes it conditional (412)")
            .Produces(204).ProducesProblems(403, 404, 412);
        api.MapGet("/saved_replies/{id}/attachments", Attachments).WithName(SavedReplyAttachmentsRoute)
            .Documented("SavedReply.attachments", "The files a saved reply sends")
            .Produces<HydraCollection<SavedReplyAttachmentResource>>().ProducesProblems(404);
    }

    public static string ETagOf(SavedReply reply) => ETags.ForVersion(nameof(SavedReply), reply.Id, reply.Version);

    private static IQueryable<SavedReply> WithFiles(IQueryable<SavedReply> replies) =>
        replies.Include(r => r.User).Include(r => r.Attachments).ThenInclude(a => a.Attachment);

    /// <summary>The path's user, when it is the caller; a user the caller sees is a 403, any other a 404.</summary>
    private static async Task RequireSelfAsync(string id, UserAuthority authority, string action, CancellationToken cancellationToken)
    {
        if (!(await authority.RequireVisibleAsync(id, cancellationToken)).IsSelf)
        {
            throw ApiException.Forbidden($"Saved replies are personal: only the user themself may {action} their saved replies.");
        }
    }

    private static async Task<IResult> List(string id, string? filter, string? q, string? query, HttpRequest request, UserAuthority authority,
        AccountAccess access, HypermediaDbContext db, Iris iris)
    {
        await RequireSelfAsync(id, authority, "list", request.HttpContext.RequestAborted);
        var callerId = access.CallerId;
        var replies = (filter ?? "all") switch
        {
            "all" => SavedReplyAccess.Visible(db, callerId),
            "mine" => db.SavedReplies.Where(r => r.UserId == callerId),
            _ => throw ApiException.Invalid("filter", $"'{filter}' is not a filter; it must be all (your own and shared replies) or mine (your own)"),
        };
        if ((q ?? query) is { } text && !string.IsNullOrWhiteSpace(text))
        {
            var pattern = SearchText.Contains(text);
            replies = replies.Where(r => EF.Functions.ILike(r.Title, pattern, SearchText.EscapeCharacter) || EF.Functions.ILike(r.Content, pattern, SearchText.EscapeCharacter));
        }

        return ApiResults.Ok(await WithFiles(replies).PageAsync(request, SavedReplyQueries.Model, SavedReplyQueries.ByTitle, r => SavedReplyResource.Of(r, iris)));
    }

    private static async Task<IResult> Create(string id, HttpRequest request, UserAuthority authority, AccountAccess access, HypermediaDbContext db,
        Iris iris, TimeProvider clock)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        await RequireSelfAsync(id, authority, "create", cancellationToken);
        var body = await RequestBody.ReadAsync<SavedReplyRequest>(request);
        var validator = new Validator();
        var valid = SavedReplyRules.Validate(validator, body.Fields(validator), creating: true);
        var files = await FilesAsync(validator, valid.Attachments, db, access, iris, cancellationToken);
        validator.ThrowIfInvalid();

        var now = clock.GetUtcNow();
        var reply = new SavedReply
        {
            Slug = Slugs.New(),
            UserId = access.CallerId,
            Title = valid.Title!,
            Content = valid.Content!,
            Shared = valid.Shared ?? false,
            CreatedAt = now,
            UpdatedAt = now,
            Attachments = Links(files ?? []),
        };
        db.SavedReplies.Add(reply);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created(SavedReplyResource.Of(reply, access.CallerSlug, files ?? [], iris), ETagOf(reply));
    }

    private static async Task<IResult> Get(string id, AccountAccess access, HypermediaDbContext db, Iris iris, CancellationToken cancellationToken)
    {
        var reply = await FindAsync(id, access, db, cancellationToken);
        return ApiResults.Ok(SavedReplyResource.Of(reply, iris), ETagOf(reply));
    }

    private static async Task<IResult> Attachments(string id, HttpRequest request, AccountAccess access, HypermediaDbContext db, Iris iris)
    {
        var replyId = await SavedReplyAccess.Visible(db, access.CallerId).Where(r => r.Slug == id).Select(r => (long?)r.Id).SingleOrDefaultAsync(request.HttpContext.RequestAborted)
            ?? throw ApiException.NotFound("saved reply");
        var links = db.SavedReplyAttachments;
        return ApiResults.Ok(await db.Attachments.Where(a => links.Any(l => l.SavedReplyId == replyId && l.AttachmentId == a.Id))
            .PageAsync(request, AttachmentQueries.Model, AttachmentQueries.OldestFirst, a => SavedReplyAttachmentResource.Of(a, iris)));
    }

    private static async Task<IResult> Update(string id, HttpRequest request, AccountAccess access, HypermediaDbContext db, Iris iris, TimeProvider clock)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var replyId = await OwnedIdAsync(id, access, db, "change", cancellationToken);

        // The body is read and its files looked up before the row is locked: a slow client holds up no one.
        var body = await RequestBody.ReadAsync<SavedReplyRequest>(request);
        var validator = new Validator();
        var valid = SavedReplyRules.Validate(validator, body.Fields(validator), creating: false);
        var files = await FilesAsync(validator, valid.Attachments, db, access, iris, cancellationToken);
        validator.ThrowIfInvalid();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.TryLockRowAsync<SavedReply>(replyId, RowLock.ForNoKeyUpdate, cancellationToken))
        {
            throw ApiException.NotFound("saved reply");
        }

        var reply = await db.SavedReplies.Include(r => r.Attachments).ThenInclude(a => a.Attachment).SingleAsync(r => r.Id == replyId, cancellationToken);
        ETags.RequireIfMatch(request, ETagOf(reply));
        reply.Title = valid.Title ?? reply.Title;
        reply.Content = valid.Content ?? reply.Content;
        reply.Shared = valid.Shared ?? reply.Shared;
        reply.UpdatedAt = clock.GetUtcNow();
        var kept = files ?? [.. reply.Attachments.OrderBy(a => a.Position).Select(a => a.Attachment!)];
        if (files is not null)
        {
            // Saved first: a file given again has the same key (reply, attachment) as the link it replaces.
            db.SavedReplyAttachments.RemoveRange(reply.Attachments);
            await db.SaveChangesAsync(cancellationToken);
            reply.Attachments = Links(files);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Ok(SavedReplyResource.Of(reply, access.CallerSlug, kept, iris), ETagOf(reply));
    }

    private static async Task<IResult> Delete(string id, HttpRequest request, AccountAccess access, HypermediaDbContext db)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var replyId = await OwnedIdAsync(id, access, db, "delete", cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.TryLockRowAsync<SavedReply>(replyId, RowLock.ForUpdate, cancellationToken))
        {
            throw ApiException.NotFound("saved reply");
        }

        var reply = await db.SavedReplies.SingleAsync(r => r.Id == replyId, cancellationToken);
        ETags.RequireIfMatch(request, ETagOf(reply));
        db.SavedReplies.Remove(reply);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Results.NoContent();
    }

    private static async Task<SavedReply> FindAsync(string id, AccountAccess access, HypermediaDbContext db, CancellationToken cancellationToken) =>
        await WithFiles(SavedReplyAccess.Visible(db, access.CallerId).AsNoTracking()).SingleOrDefaultAsync(r => r.Slug == id, cancellationToken)
        ?? throw ApiException.NotFound("saved reply");

    /// <summary>The id of a reply the caller owns; one they only see is a 403, any other a 404.</summary>
    private static async Task<long> OwnedIdAsync(string id, AccountAccess access, HypermediaDbContext db, string action, CancellationToken cancellationToken)
    {
        var callerId = access.CallerId;
        var found = await SavedReplyAccess.Visible(db, callerId).Where(r => r.Slug == id).Select(r => new { r.Id, r.UserId }).SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("saved reply");
        return found.UserId == callerId
            ? found.Id
            : throw ApiException.Forbidden($"Only the owner of a saved reply may {action} it; this one is shared with you.");
    }

    private static List<SavedReplyAttachment> Links(IReadOnlyList<Attachment> files) =>
        [.. files.Select((f, i) => new SavedReplyAttachment { AttachmentId = f.Id, Position = i })];

    /// <summary>
    /// The attachments the request names, each an attachment of one of the caller's accounts (by IRI, or by
    /// key: the newest with that key); anything else is a 422 naming the entry. Null when none were given.
    /// </summary>
    private static async Task<List<Attachment>?> FilesAsync(Validator validator, IReadOnlyList<SavedReplyFile>? requested, HypermediaDbContext db,
        AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        if (requested is null)
        {
            return null;
        }

        var accounts = access.MemberAccountIds();
        var files = new List<Attachment>();
        foreach (var file in requested)
        {
            var slug = file.Iri is null ? null : iris.Match(file.Iri, AttachmentsApi.AttachmentRoute, "id");
            var candidates = db.Attachments.AsNoTracking().Where(a => accounts.Contains(a.AccountId));
            var found = slug is not null ? await candidates.SingleOrDefaultAsync(a => a.Slug == slug, cancellationToken)
                : file.Key is not null ? await candidates.Where(a => a.Key == file.Key).OrderByDescending(a => a.CreatedAt).FirstOrDefaultAsync(cancellationToken)
                : null;
            if (found is null)
            {
                validator.Add(file.Field, "is not an attachment of any of your accounts (upload it first with POST /{account}/attachments)");
            }
            else
            {
                files.Add(found);
            }
        }

        return files;
    }
}
