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

namespace Hypermedia.Server.Features.Staff;

/// <summary>
/// Who is support staff, at which level. Only staff operators read or change it; the command line
/// (<c>staff grant</c>, <c>staff revoke</c>) does the same on the server itself.
/// </summary>
public sealed class StaffApi : IApiArea
{
    public const string StaffRoute = "staff";
    public const string StaffMemberRoute = "staffMember";

    [Writes<StaffMemberResource>]
    public sealed record SetStaffLevelRequest([property: RequiredToCreate] string? Level);

    private static readonly QueryModel<User> Query = QueryModel.Create<User, StaffRow>("StaffMember", u => new StaffRow
    {
        Entity = u,
        Name = u.Name,
        Email = u.Email,
    });

    private static readonly KeysetOrder<User> ByName = KeysetOrder<User>.By(u => u.Name, u => u.Id);

    public void AddServices(IServiceCollection services) => services.AddScoped<StaffGrants>();

    public IEnumerable<EntryPointLink> EntryPointLinks =>
        [new("staff", "vocab:staffMembers", "Support staff and their levels (staff operators)", StaffRoute)];

    public void MapRoutes(AreaRoutes routes)
    {
        var api = routes.Authenticated.MapGroup("/staff").RequireAuthorization(CurrentUser.StaffPolicy).ProducesProblems(403);
        api.MapGet("", List).WithName(StaffRoute)
            .Documented("EntryPoint.staff", "List support staff (staff operators)")
            .Produces<HydraCollection<StaffMemberResource>>();
        api.MapGet("/{id}", Get).WithName(StaffMemberRoute)
            .Documented("StaffMember", "Get a user's staff level (staff operators)")
            .Produces<StaffMemberResource>().ProducesProblems(404);
        api.MapPut("/{id}", Put)
            .Documented("StaffMember", "Give a user (by their user slug) a staff level, viewer or operator (staff operators)")
            .AcceptsBody<SetStaffLevelRequest>().Produces<StaffMemberResource>().Produces<StaffMemberResource>(201).ProducesProblems(404, 409);
        api.MapDelete("/{id}", Revoke)
            .Documented("StaffMember", "Take a user's staff level away; the last operator's is a 409 (staff operators)")
            .Produces(204).ProducesProblems(404, 409);
    }

    private static IQueryable<User> Staff(HypermediaDbContext db) => db.Users.Where(u => u.StaffLevel != null && u.DiscardedAt == null);

    private static async Task<IResult> List(HttpRequest request, HypermediaDbContext db, Iris iris)
    {
        var page = await Staff(db).PageAsync(request, Query, ByName, u => StaffMemberResource.Of(u, iris));
        return ApiResults.Ok(page);
    }

    private static async Task<IResult> Get(string id, HypermediaDbContext db, Iris iris, CancellationToken cancellationToken)
    {
        var user = await Staff(db).AsNoTracking().SingleOrDefaultAsync(u => u.Slug == id, cancellationToken)
            ?? throw ApiException.NotFound("staff member");
        return ApiResults.Ok(StaffMemberResource.Of(user, iris));
    }

    private static async Task<IResult> Put(string id, HttpRequest request, StaffGrants grants, Iris iris)
    {
        var body = await RequestBody.ReadAsync<SetStaffLevelRequest>(request);
        var level = StaffLevels.Parse(body.Level?.Trim());
        if (level is null)
        {
            throw ApiException.Invalid("level", body.Level is null
                ? "is required"
                : $"must be one of: {string.Join(", ", StaffLevels.Names)}");
        }

        var (user, previous) = await grants.SetLevelAsync(u => u.Slug == id, level, keepAnOperator: true, request.HttpContext.RequestAborted);
        var resource = StaffMemberResource.Of(user, iris);
        return previous is null ? ApiResults.Created(resource) : ApiResults.Ok(resource);
    }

    private static async Task<IResult> Revoke(string id, HypermediaDbContext db, StaffGrants grants, CancellationToken cancellationToken)
    {
        if (!await Staff(db).AnyAsync(u => u.Slug == id, cancellationToken))
        {
            throw ApiException.NotFound("staff member");
        }

        await grants.SetLevelAsync(u => u.Slug == id, null, keepAnOperator: true, cancellationToken);
        return Results.NoContent();
    }

    private sealed class StaffRow : QueryRow<User>
    {
        public required string Name { get; init; }

        public required string Email { get; init; }
    }
}
