using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Signatures;

/// <summary>
/// A user's signature at <c>/users/{id}/signature</c>: read by whoever sees the user (themself, admins of
/// their accounts, staff); created, changed and deleted by the user alone (403 for the others, 404 for a
/// user the caller does not see). Whether it is appended is the user's <c>settings.appendSignature</c>.
/// </summary>
public sealed class SignaturesApi : IApiArea
{
    public const string SignatureRoute = "userSignature";

    public void MapRoutes(AreaRoutes routes)
    {
        var api = routes.Authenticated;
        api.MapGet("/users/{id}/signature", Get).WithName(SignatureRoute)
            .Documented("User.signature", "Get the user's signature; 404 while they have none")
            .Produces<SignatureResource>().ProducesProblems(404);
        api.MapPost("/users/{id}/signature", Create)
            .Documented("User.signature", "Create your signature (201); 409 when you have one (PUT changes it)")
            .AcceptsBody<SignatureRequest>().Produces<SignatureResource>(201).ProducesProblems(403, 404, 409);
        api.MapPut("/users/{id}/signature", Update)
            .Documented("User.signature", "Change your signature; If-Match makes it conditional (412)")
            .AcceptsBody<SignatureRequest>().Produces<SignatureResource>().ProducesProblems(403, 404, 412);
        api.MapDelete("/users/{id}/signature", Delete)
            .Documented("User.signature", "Delete your signature; nothing is appended afterwards; If-Match makes it conditional (412)")
            .Produces(204).ProducesProblems(403, 404, 412);
    }

    public static string ETagOf(Signature signature) => ETags.ForVersion(nameof(Signature), signature.Id, signature.Version);

    private static async Task<IResult> Get(string id, UserAuthority authority, HypermediaDbContext db, Iris iris, CancellationToken cancellationToken)
    {
        var user = (await authority.RequireVisibleAsync(id, cancellationToken)).User;
        var signature = await db.Signatures.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == user.Id, cancellationToken)
            ?? throw ApiException.NotFound("signature");
        return ApiResults.Ok(SignatureResource.Of(signature, user.Slug, iris), ETagOf(signature));
    }

    private static async Task<IResult> Create(string id, HttpRequest request, UserAuthority authority, HypermediaDbContext db, Iris iris, TimeProvider clock)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var user = await RequireSelfAsync(id, authority, "create", cancellationToken);
        var content = await ContentAsync(request);
        var now = clock.GetUtcNow();
        var signature = new Signature { UserId = user.Id, Content = content, CreatedAt = now, UpdatedAt = now };
        db.Signatures.Add(signature);

        // Checked by the unique index, not by a read first: of two creations at once, one is a 409.
        await db.SaveOrConflictAsync(HasOne, cancellationToken);
        return ApiResults.Created(SignatureResource.Of(signature, user.Slug, iris), ETagOf(signature));
    }

    private static async Task<IResult> Update(string id, HttpRequest request, UserAuthority authority, HypermediaDbContext db, Iris iris, TimeProvider clock)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var user = await RequireSelfAsync(id, authority, "change", cancellationToken);
        var content = await ContentAsync(request);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var signature = await LockedAsync(db, user.Id, RowLock.ForNoKeyUpdate, cancellationToken);
        ETags.RequireIfMatch(request, ETagOf(signature));
        signature.Content = content;
        signature.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Ok(SignatureResource.Of(signature, user.Slug, iris), ETagOf(signature));
    }

    private static async Task<IResult> Delete(string id, HttpRequest request, UserAuthority authority, HypermediaDbContext db)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var user = await RequireSelfAsync(id, authority, "delete", cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var signature = await LockedAsync(db, user.Id, RowLock.ForUpdate, cancellationToken);
        ETags.RequireIfMatch(request, ETagOf(signature));
        db.Signatures.Remove(signature);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Results.NoContent();
    }

    private const string HasOne = "You already have a signature; PUT /users/{id}/signature changes it.";

    private static async Task<User> RequireSelfAsync(string id, UserAuthority authority, string action, CancellationToken cancellationToken)
    {
        var standing = await authority.RequireVisibleAsync(id, cancellationToken);
        return standing.IsSelf ? standing.User : throw ApiException.Forbidden($"Only the user themself may {action} their signature.");
    }

    private static async Task<string> ContentAsync(HttpRequest request)
    {
        var body = await RequestBody.ReadAsync<SignatureRequest>(request);
        var validator = new Validator();
        var content = validator.Text("content", body.Content, SignatureRules.MaxContent);
        validator.ThrowIfInvalid();
        return content!;
    }

    /// <summary>The user's signature, locked in the caller's transaction; 404 when they have none (or a delete won).</summary>
    private static async Task<Signature> LockedAsync(HypermediaDbContext db, long userId, RowLock strength, CancellationToken cancellationToken)
    {
        var id = await db.Signatures.Where(s => s.UserId == userId).Select(s => (long?)s.Id).SingleOrDefaultAsync(cancellationToken);
        if (id is null || !await db.TryLockRowAsync<Signature>(id.Value, strength, cancellationToken))
        {
            throw ApiException.NotFound("signature");
        }

        return await db.Signatures.SingleAsync(s => s.Id == id, cancellationToken);
    }
}
