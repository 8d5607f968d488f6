using System.Security.Claims;
using Hypermedia.Querying;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Invitations;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Users;

public static class UsersApi
{
    public const string UsersRoute = "users";
    public const string UserRoute = "user";
    public const string UserMembershipsRoute = "userMemberships";
    public const string MembershipRoute = "membership";
    public const string UserApiTokensRoute = "userApiTokens";

    private static readonly QueryModel<User> Query = QueryModel.Create<User, UserRow>("User", u => new UserRow
    {
        Entity = u,
        Name = u.Name,
        Email = u.Email,
        Staff = u.IsStaff,
        CreatedAt = u.CreatedAt,
    });

    private static readonly QueryModel<Membership> MembershipQuery = QueryModel.Create<Membership, MembershipRow>("Membership", m => new MembershipRow
    {
        Entity = m,
        Role = m.Role,
        CreatedAt = m.CreatedAt,
    });

    private static readonly KeysetOrder<User> ByName = KeysetOrder<User>.By(u => u.Name, u => u.Id);

    public static readonly ClassDescription[] Classes =
    [
        new("User", "User", "A person (or automated actor) who uses the API with their own tokens.",
            new("name", "Full name", Writable: true, Required: true),
            new("firstName", "First name, derived from name"),
            new("lastName", "Last name, derived from name"),
            new("email", "Email address, unique", Writable: true, Required: true),
            new("discarded", "Discarded users are kept for history and cannot authenticate", Writable: true),
            new("staff", "Server-level support operator (creates accounts, watches jobs)"),
            new("createdAt", "When the user was created"),
            new("memberships", "The user's memberships in accounts you belong to", Writable: true),
            new("apiTokens", "The user's API tokens; only for the user themself"),
            new("invitations", "Where an admin of the user's accounts invites them to a first API token; null for yourself and discarded users"),
            new("invitation", "The invitation IRI to pass to the new user; only in the response to POST /users")),
        new("Membership", "Membership", "A user's role in one account.",
            new("role", "admin, support or user", Writable: true, Required: true),
            new("user", "The member"),
            new("account", "The account", Writable: true, Required: true),
            new("createdAt", "When the membership was created")),
    ];

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        app.DescribeClasses(Classes);
        var api = app.MapGroup("").RequireAuthorization();
        api.MapGet("/users", List).WithName(UsersRoute)
            .Documented("EntryPoint.users", "List users of the accounts where you are an admin (and yourself)", "hydra:Collection", null, 200, 400)
            .Searchable("q", "accounts[]");
        api.MapPost("/users", Create)
            .Documented("EntryPoint.users", "Create a user with memberships in accounts you administer; the response alone carries their invitation IRI", "User", "User", 201, 409);
        api.MapGet("/users/{id}", Get).WithName(UserRoute)
            .Documented("User", "Get a user (yourself, or a member of an account you administer)", "User", null, 200, 404);
        api.MapPut("/users/{id}", Update)
            .Documented("User", "Update a user's name, email, discarded flag or memberships", "User", "User", 200, 403, 404, 409);
        api.MapGet("/users/{id}/memberships", ListMemberships).WithName(UserMembershipsRoute)
            .Documented("User.memberships", "List a user's memberships in accounts you belong to", "hydra:Collection", null, 200, 400, 404);
        api.MapGet("/users/{id}/memberships/{membership}", GetMembership).WithName(MembershipRoute)
            .Documented("Membership", "Get one membership", "Membership", null, 200, 404);
        api.MapGet("/{account}/users", ListAccountUsers).WithName(AccountsApi.AccountUsersRoute)
            .Documented("Account.users", "List the users who are members of the account", "hydra:Collection", null, 200, 400, 404);
        return app;
    }

    /// <summary>Users the caller may see: themself, and the members of accounts where the caller is an admin.</summary>
    private static IQueryable<User> Visible(HypermediaDbContext db, AccountAccess access)
    {
        var callerId = access.CallerId;
        var adminAccounts = access.AdminAccountIds();
        return db.Users.Where(u => u.Id == callerId || u.Memberships.Any(m => adminAccounts.Contains(m.AccountId)));
    }

    private static async Task<User> FindVisibleAsync(string id, HypermediaDbContext db, AccountAccess access, CancellationToken cancellationToken) =>
        await Visible(db, access).SingleOrDefaultAsync(u => u.Slug == id, cancellationToken) ?? throw ApiException.NotFound("user");

    /// <summary>The target user's memberships the caller may see: those in accounts the caller belongs to.</summary>
    private static Task<List<Membership>> VisibleMembershipsAsync(User user, HypermediaDbContext db, AccountAccess access, CancellationToken cancellationToken)
    {
        var callerAccounts = access.MemberAccountIds();
        return db.Memberships.Include(m => m.Account)
            .Where(m => m.UserId == user.Id && callerAccounts.Contains(m.AccountId))
            .OrderBy(m => m.Account!.Slug).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The document of a user the caller found through <see cref="Visible"/> or created: either themself
    /// or someone they manage (a member of an account they administer, or any user for staff).
    /// </summary>
    private static async Task<UserResource> ResourceAsync(User user, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken,
        string? invitation = null) =>
        UserResource.From(user, await VisibleMembershipsAsync(user, db, access, cancellationToken), access.CallerId, callerManages: true, iris, invitation);

    private static async Task<IResult> List(HttpRequest request, string? q, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var users = Visible(db, access);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = SearchText.Contains(q);
            users = users.Where(u => EF.Functions.ILike(u.Name, pattern, SearchText.EscapeCharacter) || EF.Functions.ILike(u.Email, pattern, SearchText.EscapeCharacter));
        }

        var accountSlugs = request.Query["accounts[]"].Concat(request.Query["accounts"])
            .Select(a => iris.Match(a, AccountsApi.AccountRoute, "slug") ?? a).ToList();
        if (accountSlugs.Count > 0)
        {
            users = users.Where(u => u.Memberships.Any(m => accountSlugs.Contains(m.Account!.Slug)));
        }

        var callerAccounts = access.MemberAccountIds();
        var callerId = access.CallerId;
        var page = await users
            .Include(u => u.Memberships.Where(m => callerAccounts.Contains(m.AccountId)).OrderBy(m => m.Id)).ThenInclude(m => m.Account)
            .PageAsync(request, Query, ByName, u => UserResource.From(u, u.Memberships, callerId, callerManages: true, iris));
        return ApiResults.Ok(page);
    }

    private static async Task<IResult> ListAccountUsers(string account, HttpRequest request, ClaimsPrincipal caller, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var member = await access.RequireMemberAsync(account, request.HttpContext.RequestAborted);
        var accountId = member.Account.Id;
        var callerId = access.CallerId;
        var callerManages = member.IsAdmin || caller.IsStaff();
        var page = await db.Users.Where(u => u.Memberships.Any(m => m.AccountId == accountId))
            .Include(u => u.Memberships.Where(m => m.AccountId == accountId)).ThenInclude(m => m.Account)
            .PageAsync(request, Query, ByName, u => UserResource.From(u, u.Memberships, callerId, callerManages, iris));
        return ApiResults.Ok(page);
    }

    private static async Task<IResult> Get(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var user = await FindVisibleAsync(id, db, access, cancellationToken);
        return ApiResults.Ok(await ResourceAsync(user, db, access, iris, cancellationToken));
    }

    private static async Task<IResult> ListMemberships(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var user = await FindVisibleAsync(id, db, access, cancellationToken);
        var memberships = await VisibleMembershipsAsync(user, db, access, cancellationToken);
        return ApiResults.Ok(memberships.Page(request, MembershipQuery, m => MembershipResource.From(m, user.Slug, iris)));
    }

    private static async Task<IResult> GetMembership(string id, string membership, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var user = await FindVisibleAsync(id, db, access, cancellationToken);
        var found = (await VisibleMembershipsAsync(user, db, access, cancellationToken)).SingleOrDefault(m => m.Slug == membership)
            ?? throw ApiException.NotFound("membership");
        return ApiResults.Ok(MembershipResource.From(found, user.Slug, iris));
    }

    private static async Task<IResult> Create(HttpRequest request, ClaimsPrincipal caller, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock,
        InvitationIssuer invitations)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await RequestBody.ReadAsync<CreateUserRequest>(request);
        var validator = new Validator();
        var name = validator.Text("name", body.Name, UserRules.MaxName);
        var email = UserRules.Email(validator, body.Email, required: true);
        if (!caller.IsStaff() && (body.Memberships is null || body.Memberships.Count == 0))
        {
            validator.Add("memberships", "must name at least one account you administer");
        }

        var memberships = await ResolveMembershipsAsync(validator, body.Memberships, caller.IsStaff(), db, access, iris, cancellationToken);
        validator.ThrowIfInvalid();
        await EnsureEmailFreeAsync(db, email!, exceptUserId: null, cancellationToken);

        var now = clock.GetUtcNow();
        var user = new User { Slug = Slugs.New(), Name = name!, Email = email!, CreatedAt = now };
        user.Memberships.AddRange(memberships.Select(m => new Membership { Slug = Slugs.New(), Account = m.Account, Role = m.Role, CreatedAt = now }));
        db.Users.Add(user);

        // A new user has no way in yet: the invitation, saved with the user, is how they get one.
        var (_, invitationKey) = invitations.Add(user, access.CallerId);
        await db.SaveOrConflictAsync(EmailTaken(email!), cancellationToken);
        return ApiResults.Created(await ResourceAsync(user, db, access, iris, cancellationToken, InvitationsApi.Iri(invitationKey, iris)));
    }

    private static async Task<IResult> Update(string id, HttpRequest request, ClaimsPrincipal caller, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock,
        InvitationIssuer invitations)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var user = await FindVisibleAsync(id, db, access, cancellationToken);
        var body = await RequestBody.ReadAsync<UpdateUserRequest>(request);
        var isSelf = user.Id == access.CallerId;
        var validator = new Validator();
        var name = body.Name is null ? null : validator.Text("name", body.Name, UserRules.MaxName);
        var email = body.Email is null ? null : UserRules.Email(validator, body.Email, required: true);
        if (body.Discarded is not null && isSelf)
        {
            throw ApiException.Forbidden("You cannot discard or restore yourself; ask an admin of your account.");
        }

        var memberships = await ResolveMembershipsAsync(validator, body.Memberships, caller.IsStaff(), db, access, iris, cancellationToken);
        validator.ThrowIfInvalid();
        if (email is not null)
        {
            await EnsureEmailFreeAsync(db, email, user.Id, cancellationToken);
        }

        user.Name = name ?? user.Name;
        user.Email = email ?? user.Email;
        if (body.Discarded is { } discarded)
        {
            user.DiscardedAt = discarded ? user.DiscardedAt ?? clock.GetUtcNow() : null;
        }

        var existing = await db.Memberships.Where(m => m.UserId == user.Id).ToListAsync(cancellationToken);
        foreach (var (account, role) in memberships)
        {
            if (existing.SingleOrDefault(m => m.AccountId == account.Id) is { } current)
            {
                current.Role = role;
            }
            else
            {
                db.Memberships.Add(new Membership { Slug = Slugs.New(), UserId = user.Id, AccountId = account.Id, Role = role, CreatedAt = clock.GetUtcNow() });
            }
        }

        // Discarding and revoking the user's open invitations commit together.
        await using var transaction = body.Discarded == true ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (transaction is not null)
        {
            await invitations.RevokeOpenAsync(user.Id, cancellationToken);
        }

        // Past the checks above, only a concurrent request can still collide (same email, same new membership).
        await db.SaveOrConflictAsync("Another request changed this user at the same moment; retry.", cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return ApiResults.Ok(await ResourceAsync(user, db, access, iris, cancellationToken));
    }

    private static string EmailTaken(string email) => $"A user with the email '{email}' already exists.";

    /// <summary>A friendly 409 before saving; the unique index still decides a race.</summary>
    private static async Task EnsureEmailFreeAsync(HypermediaDbContext db, string email, long? exceptUserId, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(u => u.Email == email && u.Id != exceptUserId, cancellationToken))
        {
            throw ApiException.Conflict(EmailTaken(email));
        }
    }

    /// <summary>
    /// Reads requested memberships. Each account must be one the caller administers (staff: any account);
    /// any other IRI, existing or not, gets the same 422 so other accounts stay invisible.
    /// </summary>
    private static async Task<List<(Account Account, string Role)>> ResolveMembershipsAsync(Validator validator,
        List<MembershipRequest>? requests, bool isStaff, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var resolved = new List<(Account, string)>();
        if (requests is null)
        {
            return resolved;
        }

        if (requests.Count > UserRules.MaxMemberships)
        {
            validator.Add("memberships", $"may list at most {UserRules.MaxMemberships} accounts");
            return resolved;
        }

        // One query for every account named, not one per membership.
        var slugs = requests.Select(r => iris.Match(r?.Account, AccountsApi.AccountRoute, "slug")).ToList();
        var named = slugs.OfType<string>().Distinct().ToList();
        var adminAccounts = access.AdminAccountIds();
        var allowed = await db.Accounts.Where(a => named.Contains(a.Slug) && (isStaff || adminAccounts.Contains(a.Id)))
            .ToDictionaryAsync(a => a.Slug, cancellationToken);
        for (var i = 0; i < requests.Count; i++)
        {
            UserRules.Role(validator, $"memberships[{i}].role", requests[i]?.Role);
            if (slugs[i] is not { } slug || !allowed.TryGetValue(slug, out var account))
            {
                validator.Add($"memberships[{i}].account", "must be the IRI of an account where you are an admin, e.g. /accounts/acme");
            }
            else if (slugs.IndexOf(slug) != i)
            {
                validator.Add($"memberships[{i}].account", "names an account already listed; a user has one role per account");
            }
            else if (requests[i]?.Role is { } role && Roles.All.Contains(role))
            {
                resolved.Add((account, role));
            }
        }

        return resolved;
    }

    private sealed class UserRow : QueryRow<User>
    {
        public required string Name { get; init; }

        public required string Email { get; init; }

        public required bool Staff { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }
    }

    private sealed class MembershipRow : QueryRow<Membership>
    {
        public required string Role { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }
    }
}
