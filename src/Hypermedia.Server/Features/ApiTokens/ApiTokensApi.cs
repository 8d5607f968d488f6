using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.ApiTokens;

/// <summary>
/// API tokens are managed only by the user they belong to (TextUs: "can only be revoked by the user
/// that created it"). Someone else's tokens are 404, or 403 for an admin who can see that user.
/// </summary>
public sealed class ApiTokensApi : IApiArea
{
    public const string ApiTokenRoute = "apiToken";

    [Writes<ApiTokenResource>]
    public sealed record CreateApiTokenRequest([property: RequiredToCreate] string? Description);

    private static readonly QueryModel<ApiToken> Query = QueryModel.Create<ApiToken, ApiTokenRow>("ApiToken", t => new ApiTokenRow
    {
        Entity = t,
        Description = t.Description,
        CreatedAt = t.CreatedAt,
        LastUsedAt = t.LastUsedAt,
    });

    private static readonly KeysetOrder<ApiToken> Newest = KeysetOrder<ApiToken>.By(t => t.CreatedAt, t => t.Id, descending: true);

    public void AddServices(IServiceCollection services) => services.AddScoped<ApiTokenIssuer>();

    public void MapRoutes(AreaRoutes routes)
    {
        var api = routes.Authenticated;
        api.MapGet("/users/{id}/api_tokens", List).WithName(UsersApi.UserApiTokensRoute)
            .Documented("User.apiTokens", "List your API tokens (without secrets)")
            .Produces<HydraCollection<ApiTokenResource>>().ProducesProblems(403, 404);
        api.MapPost("/users/{id}/api_tokens", Create)
            .Documented("User.apiTokens", "Create an API token; the secret is in this response only")
            .AcceptsBody<CreateApiTokenRequest>().Produces<ApiTokenResource>(201).ProducesProblems(403, 404);
        api.MapGet("/api_tokens/{id}", Get).WithName(ApiTokenRoute)
            .Documented("ApiToken", "Get one of your API tokens (without its secret)")
            .Produces<ApiTokenResource>().ProducesProblems(404);
        api.MapDelete("/api_tokens/{id}", Revoke)
            .Documented("ApiToken", "Revoke one of your API tokens; it stops working at once")
            .Produces(204).ProducesProblems(404);
    }

    /// <summary>The caller's own user id when <paramref name="userSlug"/> is them; 403 for another user they can see, 404 otherwise.</summary>
    private static async Task<long> RequireSelfAsync(string userSlug, UserAuthority authority, CancellationToken cancellationToken)
    {
        var target = await authority.RequireVisibleAsync(userSlug, cancellationToken);
        return target.IsSelf ? target.User.Id : throw ApiException.Forbidden("API tokens are managed only by the user they belong to.");
    }

    private static IQueryable<ApiToken> Active(HypermediaDbContext db, long userId) =>
        db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null);

    private static async Task<IResult> List(string id, HttpRequest request, UserAuthority authority, HypermediaDbContext db, Iris iris)
    {
        var userId = await RequireSelfAsync(id, authority, request.HttpContext.RequestAborted);
        var page = await Active(db, userId).PageAsync(request, Query, Newest, t => ApiTokenResource.From(t, id, iris));
        return ApiResults.Ok(page);
    }

    private static async Task<IResult> Create(string id, HttpRequest request, UserAuthority authority, ApiTokenIssuer issuer, Iris iris)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var userId = await RequireSelfAsync(id, authority, cancellationToken);
        var body = await RequestBody.ReadAsync<CreateApiTokenRequest>(request);
        var validator = new Validator();
        var description = validator.Text("description", body.Description, 200);
        validator.ThrowIfInvalid();
        var (record, token) = await issuer.IssueAsync(userId, description!, cancellationToken);
        return ApiResults.Created(ApiTokenResource.From(record, id, iris, token));
    }

    private static async Task<ApiToken> FindOwnAsync(string id, AccountAccess access, HypermediaDbContext db, CancellationToken cancellationToken) =>
        await Active(db, access.CallerId).SingleOrDefaultAsync(t => t.Slug == id, cancellationToken)
        ?? throw ApiException.NotFound("API token");

    private static async Task<IResult> Get(string id, AccountAccess access, HypermediaDbContext db, Iris iris, CancellationToken cancellationToken)
    {
        var token = await FindOwnAsync(id, access, db, cancellationToken);
        return ApiResults.Ok(ApiTokenResource.From(token, access.CallerSlug, iris));
    }

    private static async Task<IResult> Revoke(string id, AccountAccess access, HypermediaDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var token = await FindOwnAsync(id, access, db, cancellationToken);
        token.RevokedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }

    private sealed class ApiTokenRow : QueryRow<ApiToken>
    {
        public required string Description { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }

        public required DateTimeOffset? LastUsedAt { get; init; }
    }
}
