using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Personalization;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.WhatsApp;

/// <summary>
/// An account's WhatsApp templates (TextUs §2.13): any member lists and reads them; the account's admins create
/// and delete them; staff operators record WhatsApp's verdict (approved or rejected) and quality, and list every
/// account's templates to find those waiting. Deleting marks a template deleted, so a message sent from it still
/// embeds it.
/// </summary>
public sealed class WhatsAppApi : IApiArea
{
    public const string AccountTemplatesRoute = "accountWhatsAppTemplates";
    public const string TemplatesRoute = "whatsAppTemplates";
    public const string TemplateRoute = "whatsAppTemplate";
    public const string TemplateStatusRoute = "whatsAppTemplateStatus";

    /// <summary>The collections' own search parameters, beside the OData options.</summary>
    private static readonly string[] SearchParameters = ["status[]", "title", "user", "quality"];

    public IEnumerable<AccountLink> AccountLinks =>
        [new("whatsAppTemplates", "vocab:whatsAppTemplates", "The account's WhatsApp templates; admins POST a new one here", AccountTemplatesRoute)];

    public IEnumerable<EntryPointLink> EntryPointLinks =>
        [new("whatsAppTemplates", "vocab:whatsAppTemplates", "Every account's WhatsApp templates, to review (staff operators)", TemplatesRoute)];

    public void AddServices(IServiceCollection services) => services.AddScoped<WhatsAppTemplateSends>();

    public void MapRoutes(AreaRoutes routes)
    {
        routes.Account.MapGet("/whats_app/templates", ListAccount).WithName(AccountTemplatesRoute)
            .Documented("Account.whatsAppTemplates", "List the account's WhatsApp templates by title; status[] (repeatable), title (contains), user (the creator's IRI) and quality filter them")
            .Produces<HydraCollection<WhatsAppTemplateResource>>().ProducesProblems(404, 422)
            .Searchable(SearchParameters);
        routes.Account.MapPost("/whats_app/templates", Create)
            .Documented("Account.whatsAppTemplates", "Create a WhatsApp template (admins); it starts pending, for staff to approve or reject")
            .AcceptsBody<CreateWhatsAppTemplateRequest>().Produces<WhatsAppTemplateResource>(201).ProducesProblems(403, 404, 409);

        var api = routes.Authenticated;
        api.MapGet("/whats_app/templates", ListAll).WithName(TemplatesRoute).RequireAuthorization(CurrentUser.StaffPolicy)
            .Documented("EntryPoint.whatsAppTemplates", "List every account's WhatsApp templates by title, to review (staff operators); the same filters as an account's")
            .Produces<HydraCollection<WhatsAppTemplateResource>>().ProducesProblems(403, 422)
            .Searchable(SearchParameters);
        api.MapGet("/whats_app/templates/{id}", Get).WithName(TemplateRoute)
            .Documented(WhatsAppTemplateResource.TypeName, "Get a WhatsApp template (members of its account, staff operators); a deleted one shows deletedAt")
            .Produces<WhatsAppTemplateResource>().ProducesProblems(404);
        api.MapDelete("/whats_app/templates/{id}", Delete)
            .Documented(WhatsAppTemplateResource.TypeName, "Delete a WhatsApp template (admins of its account); messages sent from it keep showing it")
            .Produces(204).ProducesProblems(403, 404);
        api.MapPut("/whats_app/templates/{id}/status", Review).WithName(TemplateStatusRoute)
            .Documented(WhatsAppTemplateResource.TypeName, "Record WhatsApp's verdict on a template: {status, quality} (staff operators)")
            .AcceptsBody<ReviewWhatsAppTemplateRequest>().Produces<WhatsAppTemplateResource>().ProducesProblems(403, 404, 409);
    }

    /// <summary>Templates the caller may see: those of their accounts, or any for a staff operator.</summary>
    private static IQueryable<WhatsAppTemplate> Visible(HypermediaDbContext db, AccountAccess access, Caller caller)
    {
        if (caller.IsStaff)
        {
            return db.WhatsAppTemplates;
        }

        var accounts = access.MemberAccountIds();
        return db.WhatsAppTemplates.Where(t => accounts.Contains(t.AccountId));
    }

    private static Task<IResult> ListAccount(AccountMember member, HttpRequest request, HypermediaDbContext db, Iris iris)
    {
        var accountId = member.Account.Id;
        return ListAsync(db.WhatsAppTemplates.Where(t => t.AccountId == accountId), request, iris);
    }

    private static Task<IResult> ListAll(HttpRequest request, HypermediaDbContext db, Iris iris) => ListAsync(db.WhatsAppTemplates, request, iris);

    private static async Task<IResult> ListAsync(IQueryable<WhatsAppTemplate> templates, HttpRequest request, Iris iris)
    {
        var filtered = Filter(templates.Where(t => t.DeletedAt == null), request, iris);
        return ApiResults.Ok(await filtered.PageAsync(request, WhatsAppTemplateQueries.Model, WhatsAppTemplateQueries.ByTitle,
            WhatsAppTemplateView.Projection, v => v.Template, v => WhatsAppTemplateResource.Of(v, iris)));
    }

    /// <summary>TextUs's filters (R28): status[] (any of), title (contains, any case), user (the creator's IRI), quality. A bad value is a 422 naming it.</summary>
    private static IQueryable<WhatsAppTemplate> Filter(IQueryable<WhatsAppTemplate> templates, HttpRequest request, Iris iris)
    {
        var validator = new Validator();
        var statuses = request.Query["status[]"].Concat(request.Query["status"]).Select(s => s ?? "").ToList();
        for (var i = 0; i < statuses.Count; i++)
        {
            if (!WhatsAppTemplateStatuses.All.Contains(statuses[i]))
            {
                validator.Add("status[]", $"'{Quote(statuses[i])}' is not a status; each must be one of {string.Join(", ", WhatsAppTemplateStatuses.All)}");
            }
        }

        var title = Single(validator, request, "title");
        if (title is { Length: > WhatsAppTemplateRules.MaxTitle })
        {
            validator.Add("title", $"must be at most {WhatsAppTemplateRules.MaxTitle} characters");
        }

        var userIri = Single(validator, request, "user");
        var user = userIri is null ? null : iris.Match(userIri, UsersApi.UserRoute, "id");
        if (userIri is not null && user is null)
        {
            validator.Add("user", "must be the IRI of a user, such as /users/QNDkpL");
        }

        var quality = Single(validator, request, "quality");
        if (quality is not null && !WhatsAppTemplateQualities.All.Contains(quality))
        {
            validator.Add("quality", $"must be one of {string.Join(", ", WhatsAppTemplateQualities.All)}");
        }

        validator.ThrowIfInvalid();
        if (statuses.Count > 0)
        {
            var wanted = statuses.Distinct().ToArray();
            templates = templates.Where(t => wanted.Contains(t.Status));
        }

        if (!string.IsNullOrWhiteSpace(title))
        {
            var pattern = SearchText.Contains(title);
            templates = templates.Where(t => EF.Functions.ILike(t.Title, pattern, SearchText.EscapeCharacter));
        }

        if (user is not null)
        {
            templates = templates.Where(t => t.CreatedBy!.Slug == user);
        }

        if (quality is not null)
        {
            templates = templates.Where(t => t.Quality == quality);
        }

        return templates;
    }

    private static string? Single(Validator validator, HttpRequest request, string name)
    {
        var values = request.Query[name];
        if (values.Count > 1)
        {
            validator.Add(name, "may be given once");
        }

        return values.Count == 1 ? values.ToString() : null;
    }

    private static string Quote(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static async Task<IResult> Get(string id, HypermediaDbContext db, AccountAccess access, Caller caller, Iris iris, CancellationToken cancellationToken)
    {
        var view = await Visible(db, access, caller).AsNoTracking().Where(t => t.Slug == id).Select(WhatsAppTemplateView.Projection)
            .SingleOrDefaultAsync(cancellationToken) ?? throw ApiException.NotFound("WhatsApp template");
        return ApiResults.Ok(WhatsAppTemplateResource.Of(view, iris));
    }

    private static async Task<IResult> Create(AccountMember member, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        member.RequireAdmin();
        var body = await RequestBody.ReadAsync<CreateWhatsAppTemplateRequest>(request);
        var accountId = member.Account.Id;
        var validator = new Validator();
        var draft = WhatsAppTemplateRules.Read(validator, body, await PersonalizationVariables.ForAccountAsync(db, accountId, cancellationToken));
        validator.ThrowIfInvalid();

        if (await db.WhatsAppTemplates.AnyAsync(t => t.AccountId == accountId && t.Title == draft!.Title && t.Language == draft.Language && t.DeletedAt == null, cancellationToken))
        {
            throw TitleTaken(draft!);
        }

        var template = New(draft!, accountId, access.CallerId, clock.GetUtcNow());
        db.WhatsAppTemplates.Add(template);

        // Two requests creating one title and language at once both pass the check above; the unique index lets one in.
        await db.SaveOrConflictAsync("Another request changed this account's templates at the same moment; retry.", cancellationToken,
            unique => unique.ConstraintName == WhatsAppTemplateConfiguration.TitleIndex ? TitleTaken(draft!) : null);
        return ApiResults.Created(WhatsAppTemplateResource.Of(new WhatsAppTemplateView(template, member.Account.Slug, access.CallerSlug), iris));
    }

    /// <summary>A new pending template from checked fields (the demo seed makes its own the same way).</summary>
    public static WhatsAppTemplate New(TemplateDraft draft, long accountId, long? creatorId, DateTimeOffset now) => new()
    {
        Slug = Slugs.New(),
        AccountId = accountId,
        Title = draft.Title,
        Language = draft.Language,
        Status = WhatsAppTemplateStatuses.Pending,
        ContentSid = draft.ContentSid,
        ContentType = draft.ContentType,
        Content = draft.ContentJson,
        Category = draft.Category,
        Variables = draft.VariablesJson,
        CreatedById = creatorId,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static ApiException TitleTaken(TemplateDraft draft) =>
        ApiException.Conflict($"The account already has a template '{draft.Title}' in {draft.Language}; delete it first or choose another title.");

    private static async Task<IResult> Delete(string id, HypermediaDbContext db, AccountAccess access, TimeProvider clock, CancellationToken cancellationToken)
    {
        var accounts = access.MemberAccountIds();
        var admin = access.AdminAccountIds();
        var found = await db.WhatsAppTemplates.Where(t => t.Slug == id && t.DeletedAt == null && accounts.Contains(t.AccountId))
            .Select(t => new { t.Id, IsAdmin = admin.Contains(t.AccountId) })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ApiException.NotFound("WhatsApp template");
        if (!found.IsAdmin)
        {
            throw ApiException.Forbidden("Only an admin of the template's account may delete it.");
        }

        // One conditional statement: of two deletes at once, one marks it and the other finds it gone.
        var now = clock.GetUtcNow();
        var deleted = await db.WhatsAppTemplates.Where(t => t.Id == found.Id && t.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.DeletedAt, now), cancellationToken);
        return deleted == 1 ? Results.NoContent() : throw ApiException.NotFound("WhatsApp template");
    }

    private static async Task<IResult> Review(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Caller caller, Iris iris, TimeProvider clock)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var found = await Visible(db, access, caller).Where(t => t.Slug == id).Select(t => new { t.Id, t.DeletedAt })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ApiException.NotFound("WhatsApp template");
        if (!caller.IsStaff)
        {
            throw ApiException.Forbidden("Only staff operators record WhatsApp's verdict on a template.");
        }

        var body = await RequestBody.ReadAsync<ReviewWhatsAppTemplateRequest>(request);
        var validator = new Validator();
        if (string.IsNullOrEmpty(body.Status))
        {
            validator.Add("status", $"is required: one of {string.Join(", ", WhatsAppTemplateStatuses.All)}");
        }
        else if (!WhatsAppTemplateStatuses.All.Contains(body.Status))
        {
            validator.Add("status", $"must be one of {string.Join(", ", WhatsAppTemplateStatuses.All)}");
        }

        if (body.Quality is not null && !WhatsAppTemplateQualities.All.Contains(body.Quality))
        {
            validator.Add("quality", $"must be one of {string.Join(", ", WhatsAppTemplateQualities.All)}, or absent");
        }

        validator.ThrowIfInvalid();
        if (found.DeletedAt is not null)
        {
            throw DeletedTemplate();
        }

        // One statement, applied only when something changes: simultaneous reviews take turns on the row,
        // the last one's verdict stands, and none of them can fail.
        var (status, quality, now) = (body.Status!, body.Quality, clock.GetUtcNow());
        await db.WhatsAppTemplates
            .Where(t => t.Id == found.Id && t.DeletedAt == null && (t.Status != status || (quality != null && t.Quality != quality)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, status)
                .SetProperty(t => t.Quality, t => quality ?? t.Quality)
                .SetProperty(t => t.UpdatedAt, now), cancellationToken);
        var view = await db.WhatsAppTemplates.AsNoTracking().Where(t => t.Id == found.Id).Select(WhatsAppTemplateView.Projection).SingleAsync(cancellationToken);
        return view.Template.DeletedAt is null ? ApiResults.Ok(WhatsAppTemplateResource.Of(view, iris)) : throw DeletedTemplate();
    }

    private static ApiException DeletedTemplate() => ApiException.Conflict("The template has been deleted; a deleted template is not reviewed.");
}
