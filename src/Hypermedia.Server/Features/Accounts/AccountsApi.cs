using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Features.WhatsApp;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Accounts;

public sealed class AccountsApi : IApiArea
{
    public const string AccountsRoute = "accounts";
    public const string AccountRoute = "account";
    public const string AccountUsersRoute = "accountUsers";

    /// <summary>What $filter and $orderby may name on the accounts collection (members are memberships joined to accounts).</summary>
    private static readonly QueryModel<Membership> Query = QueryModel.Create<Membership, AccountRow>("Account", m => new AccountRow
    {
        Entity = m,
        Slug = m.Account!.Slug,
        Name = m.Account!.Name,
        EffectiveRole = m.Role,
        CreatedAt = m.Account!.CreatedAt,
    });

    private static readonly KeysetOrder<Membership> BySlug = KeysetOrder<Membership>.By(m => m.Account!.Slug, m => m.Id);

    public void AddServices(IServiceCollection services) => services.AddScoped<AccountCreation>();

    public IEnumerable<EntryPointLink> EntryPointLinks =>
        [new("accounts", "vocab:accounts", "The accounts you are a member of", AccountsRoute)];

    public void MapRoutes(AreaRoutes routes)
    {
        var api = routes.Authenticated;
        api.MapGet("/accounts", List).WithName(AccountsRoute)
            .Documented("EntryPoint.accounts", "List the accounts you are a member of")
            .Produces<HydraCollection<AccountResource>>()
            .Searchable("q");
        api.MapPost("/accounts", Create).RequireAuthorization(CurrentUser.StaffPolicy)
            .Documented("EntryPoint.accounts", "Create an account (staff only); you become its admin")
            .AcceptsBody<CreateAccountRequest>().Produces<AccountResource>(201).ProducesProblems(403, 409);
        routes.AccountItself.MapGet("", Get).WithName(AccountRoute)
            .Documented("Account", "Get an account")
            .Produces<AccountResource>().ProducesProblems(404);
        routes.AccountItself.MapPatch("", Update)
            .Documented("Account", "Change an account's name or settings (admins); If-Match makes it conditional (412)")
            .AcceptsBody<UpdateAccountRequest>().Produces<AccountResource>().ProducesProblems(403, 404, 409, 412);
    }

    private static async Task<IResult> List(HttpRequest request, string? q, HypermediaDbContext db, AccountAccess access, Iris iris, ResourceLinks links)
    {
        var callerId = access.CallerId;
        var memberships = db.Memberships.Where(m => m.UserId == callerId);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = SearchText.Contains(q);
            memberships = memberships.Where(m => EF.Functions.ILike(m.Account!.Name, pattern, SearchText.EscapeCharacter) || EF.Functions.ILike(m.Account!.Slug, pattern, SearchText.EscapeCharacter));
        }

        var page = await memberships.Include(m => m.Account).ThenInclude(a => a!.Parent)
            .PageAsync(request, Query, BySlug, m => AccountResource.From(m.Account!, m.Account!.Parent?.Slug, m.Role, iris, links));
        return ApiResults.Ok(page);
    }

    private static async Task<IResult> Create(HttpRequest request, AccountCreation creation, AccountAccess access, Iris iris, ResourceLinks links)
    {
        var body = await RequestBody.ReadAsync<CreateAccountRequest>(request);
        var (account, parent) = await creation.CreateAsync(body, access.CallerId, request.HttpContext.RequestAborted);
        return ApiResults.Created(AccountResource.From(account, parent?.Slug, Roles.Admin, iris, links));
    }

    private static async Task<IResult> Get(AccountMember member, HypermediaDbContext db, Iris iris, ResourceLinks links, CancellationToken cancellationToken) =>
        ApiResults.Ok(await ResourceAsync(member, db, iris, links, cancellationToken), ETagOf(member.Account));

    public static string ETagOf(Account account) => ETags.ForVersion(nameof(Account), account.Id, account.Version);

    private static async Task<IResult> Update(AccountMember member, HttpRequest request, HypermediaDbContext db, Iris iris, ResourceLinks links)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        member.RequireAdmin();
        var body = await RequestBody.ReadAsync<UpdateAccountRequest>(request);
        var validator = new Validator();
        var name = body.Name is null ? null : validator.Text("name", body.Name, AccountRules.MaxName);

        // The tenancy check already loaded the account, with its row version; attached, a PATCH that read
        // the settings before another PATCH saved its own fails with 409 at save rather than merging into
        // a stale copy and losing the other's keys.
        var account = member.Account;
        db.Attach(account);

        // settings.whatsApp is typed and kept in columns of its own, never among the free-form keys.
        WhatsAppSetting? whatsApp = null;
        if (body.Settings is { } patch && patch.TryGetPropertyValue(WhatsAppSettings.Key, out var whatsAppValue))
        {
            patch.Remove(WhatsAppSettings.Key);
            whatsApp = WhatsAppSettings.Read(validator, whatsAppValue);
        }

        var settings = body.Settings is null ? account.Settings : AccountSettings.Merge(validator, account.Settings, body.Settings);
        validator.ThrowIfInvalid();
        ETags.RequireIfMatch(request, ETagOf(account));
        if (whatsApp?.PhoneNumber is { } number && number != account.WhatsAppPhoneNumber
            && await db.Accounts.AnyAsync(a => a.WhatsAppPhoneNumber == number && a.Id != account.Id, cancellationToken))
        {
            throw WhatsAppSettings.NumberTaken(number);
        }

        account.Name = name ?? account.Name;
        account.Settings = settings!;
        if (whatsApp is not null)
        {
            (account.WhatsAppEnabled, account.WhatsAppPhoneNumber) = (whatsApp.Enabled, whatsApp.PhoneNumber);
        }

        // Two accounts taking one WhatsApp number at once both pass the check above; the unique index lets one in.
        await db.SaveOrConflictAsync("Another request changed this account at the same moment; read it again and retry.", cancellationToken,
            unique => unique.ConstraintName == WhatsAppSettings.PhoneNumberIndex ? WhatsAppSettings.NumberTaken(whatsApp!.PhoneNumber!) : null);
        return ApiResults.Ok(await ResourceAsync(member, db, iris, links, cancellationToken), ETagOf(account));
    }

    private static async Task<AccountResource> ResourceAsync(AccountMember member, HypermediaDbContext db, Iris iris, ResourceLinks links, CancellationToken cancellationToken)
    {
        var parentSlug = member.Account.ParentId is { } parentId
            ? await db.Accounts.Where(a => a.Id == parentId).Select(a => a.Slug).SingleAsync(cancellationToken)
            : null;
        return AccountResource.From(member.Account, parentSlug, member.Role, iris, links);
    }

    /// <summary>The caller's memberships, read as the accounts they reach.</summary>
    private sealed class AccountRow : QueryRow<Membership>
    {
        public required string Slug { get; init; }

        public required string Name { get; init; }

        public required string EffectiveRole { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }
    }
}
