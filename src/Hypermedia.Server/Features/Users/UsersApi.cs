using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.CustomFields;
using Hypermedia.Server.Features.Invitations;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hypermedia.Server.Features.Users;

public sealed class UsersApi : IApiArea
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
        Staff = u.StaffLevel != null,
        CreatedAt = u.CreatedAt,
    });

    private static readonly QueryModel<Membership> MembershipQuery = QueryModel.Create<Membership, MembershipRow>("Membership", m => new MembershipRow
    {
        Entity = m,
        Role = m.Role,
        CreatedAt = m.CreatedAt,
    });

    /// <summary>The unique index on users.email, as the initial migration named it.</summary>
    private const string EmailIndex = "ix_users_email";

    private static readonly KeysetOrder<User> ByName = KeysetOrder<User>.By(u => u.Name, u => u.Id);

    public void AddServices(IServiceCollection services) => services.AddScoped<UserAuthority>().AddScoped<LastAdminRule>();

    public IEnumerable<AccountLink> AccountLinks =>
        [new("users", "vocab:accountUsers", "Users that are members of this account", AccountsApi.AccountUsersRoute)];

    public IEnumerable<EntryPointLink> EntryPointLinks =>
    [
        new("me", "vocab:me", "The user the token belongs to", UserRoute, caller => new { id = caller.UserSlug }),
        new("users", "vocab:users", "Users you can see (admins: users of their accounts)", UsersRoute),
    ];

    public void MapRoutes(AreaRoutes routes)
    {
        var api = routes.Authenticated;
        api.MapGet("/users", List).WithName(UsersRoute)
            .Documented("EntryPoint.users", "List users of the accounts where you are an admin (and yourself)")
            .Produces<HydraCollection<UserResource>>()
            .Searchable("q", "accounts[]");
        api.MapPost("/users", Create)
            .Documented("EntryPoint.users", "Create a user with memberships in accounts you administer; the response alone carries their invitation IRI")
            .AcceptsBody<CreateUserRequest>().Produces<UserResource>(201).ProducesProblems(409, 422);
        api.MapGet("/users/{id}", Get).WithName(UserRoute)
            .Documented("User", "Get a user (yourself, a member of an account you administer, or anyone for staff)")
            .Produces<UserResource>().ProducesProblems(404);
        api.MapPut("/users/{id}", Update)
            .Documented("User", "Update a user's name, email, discarded flag or memberships; see the authorization rules in docs/api.md")
            .AcceptsBody<UpdateUserRequest>().Produces<UserResource>().ProducesProblems(403, 404, 409, 422);
        api.MapGet("/users/{id}/memberships", ListMemberships).WithName(UserMembershipsRoute)
            .Documented("User.memberships", "List a user's memberships in accounts you belong to")
            .Produces<HydraCollection<MembershipResource>>().ProducesProblems(404);
        api.MapGet("/users/{id}/memberships/{membership}", GetMembership).WithName(MembershipRoute)
            .Documented("Membership", "Get one membership")
            .Produces<MembershipResource>().ProducesProblems(404);
        api.MapDelete("/users/{id}/memberships/{membership}", RemoveMembership)
            .Documented("Membership", "Remove the user from the membership's account (its admins, or staff); never the account's last admin")
            .Produces(204).ProducesProblems(403, 404, 422);
        routes.Account.MapGet("/users", ListAccountUsers).WithName(AccountsApi.AccountUsersRoute)
            .Documented("Account.users", "List the users who are members of the account")
            .Produces<HydraCollection<UserResource>>().ProducesProblems(404);
    }

    /// <summary>The document of a user the caller may see, with the memberships the caller may see.</summary>
    /// <param name="callerControls">Whether the caller controls the user (<see cref="UserStanding.ControlsUser"/>).</param>
    private static async Task<UserResource> ResourceAsync(User user, bool callerControls, UserAuthority authority, AccountAccess access, Iris iris,
        HypermediaDbContext db, CancellationToken cancellationToken, string? invitation = null)
    {
        var memberships = await authority.VisibleMemberships(user.Id).ToListAsync(cancellationToken);
        var keys = await FieldKeys.ForUsersAsync(db, [user], VisibleSchemaAccounts(authority, access), iris, cancellationToken);
        return UserResource.From(user, memberships, access.CallerId, callerControls, keys, iris, invitation);
    }

    /// <summary>Whose user schema values a document shows: those of accounts the caller belongs to (staff: all), like its memberships.</summary>
    private static IQueryable<long>? VisibleSchemaAccounts(UserAuthority authority, AccountAccess access) =>
        VisibleSchemaAccounts(authority.CallerIsStaff, access);

    private static IQueryable<long>? VisibleSchemaAccounts(bool callerIsStaff, AccountAccess access) =>
        callerIsStaff ? null : access.MemberAccountIds();

    private static async Task<IResult> List(HttpRequest request, string? q, UserAuthority authority, AccountAccess access, Iris iris, HypermediaDbContext db)
    {
        var users = authority.Listed();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = SearchText.Contains(q);
            users = users.Where(u => EF.Functions.ILike(u.Name, pattern, SearchText.EscapeCharacter) || EF.Functions.ILike(u.Email, pattern, SearchText.EscapeCharacter));
        }

        var accountSlugs = request.Query["accounts[]"].Concat(request.Query["accounts"])
            .Select(a => iris.Match(a, AccountsApi.AccountRoute, AccountAccess.RouteValue) ?? a).OfType<string>().ToList();
        if (accountSlugs.Count > 0)
        {
            users = authority.InAdministeredAccounts(users, accountSlugs);
        }

        var callerAccounts = access.MemberAccountIds();
        var callerId = access.CallerId;
        var page = await users
            .Include(u => u.Memberships.Where(m => callerAccounts.Contains(m.AccountId)).OrderBy(m => m.Id)).ThenInclude(m => m.Account)
            .PageAsync(request, Query, ByName, u => u);
        var keys = await FieldKeys.ForUsersAsync(db, page.Members, VisibleSchemaAccounts(authority, access), iris, request.HttpContext.RequestAborted);
        return ApiResults.Ok(page.Map(u => UserResource.From(u, u.Memberships, callerId, callerManages: true, keys, iris)));
    }

    private static async Task<IResult> ListAccountUsers(AccountMember member, HttpRequest request, Caller caller, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var accountId = member.Account.Id;
        var callerId = access.CallerId;
        var callerManages = member.IsAdmin || caller.IsStaff;
        var page = await db.Users.Where(u => u.Memberships.Any(m => m.AccountId == accountId))
            .Include(u => u.Memberships.Where(m => m.AccountId == accountId)).ThenInclude(m => m.Account)
            .PageAsync(request, Query, ByName, u => u);
        var keys = await FieldKeys.ForUsersAsync(db, page.Members, VisibleSchemaAccounts(caller.IsStaff, access), iris, request.HttpContext.RequestAborted);
        return ApiResults.Ok(page.Map(u => UserResource.From(u, u.Memberships, callerId, callerManages, keys, iris)));
    }

    private static async Task<IResult> Get(string id, UserAuthority authority, AccountAccess access, Iris iris, HypermediaDbContext db, CancellationToken cancellationToken)
    {
        var standing = await authority.RequireVisibleAsync(id, cancellationToken);
        return ApiResults.Ok(await ResourceAsync(standing.User, standing.ControlsUser, authority, access, iris, db, cancellationToken));
    }

    private static async Task<IResult> ListMemberships(string id, HttpRequest request, UserAuthority authority, Iris iris)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var standing = await authority.RequireVisibleAsync(id, cancellationToken);
        var memberships = await authority.VisibleMemberships(standing.User.Id).ToListAsync(cancellationToken);
        return ApiResults.Ok(memberships.Page(request, MembershipQuery, m => MembershipResource.From(m, id, iris)));
    }

    private static async Task<IResult> GetMembership(string id, string membership, UserAuthority authority, Iris iris, CancellationToken cancellationToken)
    {
        var standing = await authority.RequireVisibleAsync(id, cancellationToken);
        var found = await authority.VisibleMemberships(standing.User.Id).SingleOrDefaultAsync(m => m.Slug == membership, cancellationToken)
            ?? throw ApiException.NotFound("membership");
        return ApiResults.Ok(MembershipResource.From(found, id, iris));
    }

    private static async Task<IResult> Create(HttpRequest request, Caller caller, HypermediaDbContext db, AccountAccess access, UserAuthority authority,
        Iris iris, TimeProvider clock, InvitationIssuer invitations)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await RequestBody.ReadAsync<CreateUserRequest>(request);
        var validator = new Validator();
        var name = validator.Text("name", body.Name, UserRules.MaxName);
        var email = UserRules.Email(validator, body.Email, required: true);
        if (!caller.IsStaff && (body.Memberships is null || body.Memberships.Count == 0))
        {
            validator.Add("memberships", "must name at least one account you administer");
        }

        var memberships = await ResolveMembershipsAsync(validator, body.Memberships, caller.IsStaff, db, access, iris, cancellationToken);
        validator.ThrowIfInvalid();
        await EnsureEmailUsableAsync(db, email!, exceptUserId: null, cancellationToken);

        var now = clock.GetUtcNow();
        var user = new User { Slug = Slugs.New(), Name = name!, Email = email!, CreatedAt = now };
        user.Memberships.AddRange(memberships.Select(m => new Membership { Slug = Slugs.New(), Account = m.Account, Role = m.Role, CreatedAt = now }));
        db.Users.Add(user);

        // A new user has no way in yet: the invitation, saved with the user, is how they get one.
        var (_, invitationKey) = invitations.Add(user, access.CallerId);
        await db.SaveOrConflictAsync("Another request created this user at the same moment; retry.", cancellationToken, EmailRace);

        // The caller administers every account of the new user (or is staff): they control them.
        return ApiResults.Created(await ResourceAsync(user, callerControls: true, authority, access, iris, db, cancellationToken, InvitationsApi.Iri(invitationKey, iris)));
    }

    private static async Task<IResult> Update(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, UserAuthority authority,
        LastAdminRule lastAdmin, Iris iris, TimeProvider clock, InvitationIssuer invitations)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await RequestBody.ReadAsync<UpdateUserRequest>(request);

        // Only discarding and membership changes can take an account's last admin away; they run
        // under the rule's locks, renames and email changes do not need them. Custom settings are merged
        // into what the row holds, so they lock it too: two requests setting different fields both land.
        var mayRemoveAnAdmin = body.Discarded == true || body.Memberships is not null;
        var customSettings = body.Settings?.CustomSettings is { Count: > 0 } settings ? settings : null;
        var appendSignature = body.Settings?.AppendSignature;
        var locksUser = mayRemoveAnAdmin || customSettings is not null;
        await using var transaction = locksUser ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (locksUser)
        {
            await lastAdmin.LockUserAsync(id, cancellationToken);
        }

        var standing = await authority.RequireVisibleAsync(id, cancellationToken);
        var user = standing.User;
        Authorize(standing, body);

        var validator = new Validator();
        var name = body.Name is null ? null : validator.Text("name", body.Name, UserRules.MaxName);
        var email = body.Email is null ? null : UserRules.Email(validator, body.Email, required: true);
        var memberships = await ResolveMembershipsAsync(validator, body.Memberships, authority.CallerIsStaff, db, access, iris, cancellationToken);
        var customValues = customSettings is null ? user.CustomValues : await CustomSettingsAsync(validator, user, customSettings, db, iris, cancellationToken);
        validator.ThrowIfInvalid();
        if ((!CustomValues.Same(customValues, user.CustomValues) || (appendSignature is { } append && append != user.AppendSignature)) && !standing.MaySetCustomSettings)
        {
            throw ApiException.Forbidden(standing.User.StaffLevel is not null
                ? "Only the user or staff may change the settings of a staff user."
                : "Only the user, an admin of every account they belong to, or staff may change their settings (customSettings, appendSignature).");
        }

        if (email is not null && email != user.Email)
        {
            await EnsureEmailUsableAsync(db, email, user.Id, cancellationToken);
        }

        var covered = mayRemoveAnAdmin ? await lastAdmin.LockAccountsAsync(user.Id, cancellationToken) : [];
        user.Name = name ?? user.Name;
        user.Email = email ?? user.Email;
        user.CustomValues = customValues;
        user.AppendSignature = appendSignature ?? user.AppendSignature;
        if (body.Discarded is { } discarded)
        {
            user.DiscardedAt = discarded ? user.DiscardedAt ?? clock.GetUtcNow() : null;
        }

        await ApplyMembershipsAsync(db, user.Id, memberships, clock.GetUtcNow(), cancellationToken);
        if (body.Discarded == true)
        {
            // Discarding and revoking the user's open invitations commit together.
            await invitations.RevokeOpenAsync(user.Id, cancellationToken);
        }

        // Past the checks above, only a concurrent request can still collide (same email, same new membership).
        await db.SaveOrConflictAsync("Another request changed this user at the same moment; retry.", cancellationToken, EmailRace);
        var orphaned = await lastAdmin.OrphanedAsync(covered, cancellationToken);
        if (orphaned.Count > 0)
        {
            // Thrown before the commit: disposing the transaction rolls every change back.
            throw ApiException.Invalid(orphaned
                .GroupBy(a => memberships.FirstOrDefault(m => m.Account.Id == a.Id) is { Role: not Roles.Admin } demotion ? $"memberships[{demotion.Index}].role" : "discarded")
                .ToDictionary(field => field.Key, field => field.Select(a => LastAdminRule.Message(a.Slug)).ToArray()));
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return ApiResults.Ok(await ResourceAsync(user, standing.ControlsUser, authority, access, iris, db, cancellationToken));
    }

    /// <summary>
    /// The user's custom values with <paramref name="changes"/> applied: each key the IRI of a user schema field of
    /// an account the user belongs to (read under a key-share lock in the request's transaction); anything else,
    /// and a value of the wrong type, is a 422 naming <c>settings.customSettings.{iri}</c>.
    /// </summary>
    private static async Task<string> CustomSettingsAsync(Validator validator, User user, System.Text.Json.Nodes.JsonObject changes, HypermediaDbContext db,
        Iris iris, CancellationToken cancellationToken)
    {
        var accounts = await db.Memberships.Where(m => m.UserId == user.Id).Select(m => new { m.AccountId, m.Account!.Slug }).ToListAsync(cancellationToken);
        var slugs = accounts.ToDictionary(a => a.AccountId, a => a.Slug);
        var fields = await CustomValues.LockFieldsAsync(db, CustomFieldSchemas.User, [.. slugs.Keys], cancellationToken);
        return CustomValues.Apply(validator, user.CustomValues, changes,
            fields.ToDictionary(f => CustomFieldResource.Iri(CustomFieldSchemas.User, slugs[f.AccountId], f.Slug, iris)),
            iri => "settings.customSettings." + iri,
            "is not the IRI of a field of the user schema of an account the user belongs to (GET /{account}/user_schema lists them)");
    }

    /// <summary>
    /// Refuses, field by field, the changes the caller may not make (403). A field sent with the
    /// user's current value is no change, so a client may send back the document it read.
    /// </summary>
    private static void Authorize(UserStanding standing, UpdateUserRequest body)
    {
        var user = standing.User;
        if (body.Name is { } name && name.Trim() != user.Name && !standing.MayRename)
        {
            throw ApiException.Forbidden(NotInControl(standing, "change the name of"));
        }

        if (body.Email is { } email && email.Trim().ToLowerInvariant() != user.Email && !standing.MayChangeEmail)
        {
            throw ApiException.Forbidden("A user's email is their identity in every account: only the user themself or staff may change it.");
        }

        if (body.Discarded is { } discarded && discarded != (user.DiscardedAt is not null) && !standing.MayDiscard)
        {
            throw ApiException.Forbidden(standing.IsSelf
                ? "You cannot discard or restore yourself; ask an admin of your account."
                : NotInControl(standing, discarded ? "discard" : "restore"));
        }
    }

    private static string NotInControl(UserStanding standing, string action) => standing.User.StaffLevel is not null
        ? $"Only staff may {action} a staff user."
        : $"Only an admin of every account the user belongs to, or staff, may {action} them.";

    /// <summary>Adds the requested memberships the user does not have and sets the role of those they have.</summary>
    private static async Task ApplyMembershipsAsync(HypermediaDbContext db, long userId, List<RequestedMembership> memberships, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (memberships.Count == 0)
        {
            return;
        }

        var existing = await db.Memberships.Where(m => m.UserId == userId).ToListAsync(cancellationToken);
        foreach (var (_, account, role) in memberships)
        {
            if (existing.SingleOrDefault(m => m.AccountId == account.Id) is { } current)
            {
                current.Role = role;
            }
            else
            {
                db.Memberships.Add(new Membership { Slug = Slugs.New(), UserId = userId, AccountId = account.Id, Role = role, CreatedAt = now });
            }
        }
    }

    private static async Task<IResult> RemoveMembership(string id, string membership, HypermediaDbContext db, UserAuthority authority, LastAdminRule lastAdmin,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await lastAdmin.LockUserAsync(id, cancellationToken);
        var standing = await authority.RequireVisibleAsync(id, cancellationToken);
        var found = await authority.VisibleMemberships(standing.User.Id).SingleOrDefaultAsync(m => m.Slug == membership, cancellationToken)
            ?? throw ApiException.NotFound("membership");

        // A membership is its account's business: the account's admins may remove anyone from it,
        // whatever other accounts the user belongs to.
        if (!await authority.AdministersAsync(found.AccountId, cancellationToken))
        {
            throw ApiException.Forbidden("Only an admin of the membership's account, or staff, may remove it.");
        }

        var covered = await lastAdmin.LockAccountsAsync(standing.User.Id, cancellationToken);
        db.Memberships.Remove(found);
        await db.SaveChangesAsync(cancellationToken);
        if ((await lastAdmin.OrphanedAsync(covered, cancellationToken)).FirstOrDefault() is { Slug: { } orphaned })
        {
            throw ApiException.Invalid("membership", LastAdminRule.Message(orphaned));
        }

        await transaction.CommitAsync(cancellationToken);
        return Results.NoContent();
    }

    /// <summary>
    /// One answer for an address that is malformed or belongs to another user: answering "taken"
    /// would tell any caller which emails have an account on this server, in any account.
    /// </summary>
    private static ApiException EmailUnusable() => ApiException.Invalid("email", UserRules.EmailUnusable);

    /// <summary>A friendly check before saving; the unique index still decides a race (<see cref="EmailRace"/>).</summary>
    private static async Task EnsureEmailUsableAsync(HypermediaDbContext db, string email, long? exceptUserId, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(u => u.Email == email && u.Id != exceptUserId, cancellationToken))
        {
            throw EmailUnusable();
        }
    }

    /// <summary>A race on the email index answers like a taken email; any other unique index, the 409.</summary>
    private static ApiException? EmailRace(PostgresException unique) => unique.ConstraintName == EmailIndex ? EmailUnusable() : null;

    /// <summary>
    /// Reads requested memberships. Each account must be one the caller administers (staff: any account);
    /// any other IRI, existing or not, gets the same 422 so other accounts stay invisible.
    /// </summary>
    private static async Task<List<RequestedMembership>> ResolveMembershipsAsync(Validator validator,
        List<MembershipRequest>? requests, bool isStaff, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var resolved = new List<RequestedMembership>();
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
        var slugs = requests.Select(r => iris.Match(r?.Account, AccountsApi.AccountRoute, AccountAccess.RouteValue)).ToList();
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
                resolved.Add(new RequestedMembership(i, account, role));
            }
        }

        return resolved;
    }

    /// <summary>A membership the caller asked for and may grant; <see cref="Index"/> is its place in the request, for naming errors.</summary>
    private sealed record RequestedMembership(int Index, Account Account, string Role);

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
