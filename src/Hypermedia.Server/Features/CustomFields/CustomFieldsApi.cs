using System.Linq.Expressions;
using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.CustomFields;

/// <summary>
/// An account's contact schema and user schema (TextUs §2.9): any member reads them; only the account's
/// admins add or change fields (403 for other members, 404 for anyone else). The two schemas share
/// every handler; the route says which one.
/// </summary>
public sealed class CustomFieldsApi : IApiArea
{
    public const string ContactSchemaRoute = "accountContactSchema";
    public const string ContactFieldsRoute = "accountContactSchemaFields";
    public const string ContactFieldRoute = "accountContactSchemaField";
    public const string UserSchemaRoute = "accountUserSchema";
    public const string UserFieldsRoute = "accountUserSchemaFields";
    public const string UserFieldRoute = "accountUserSchemaField";

    private static readonly QueryModel<CustomField> Model = QueryModel.Create<CustomField, CustomFieldRow>("CustomField", f => new CustomFieldRow
    {
        Entity = f,
        Slug = f.Slug,
        Title = f.Title,
        Type = f.Type,
        Description = f.Description,
        CreatedAt = f.CreatedAt,
    });

    /// <summary>Oldest first: a schema lists its fields in the order they were added.</summary>
    private static readonly KeysetOrder<CustomField> Oldest = KeysetOrder<CustomField>.By(f => f.CreatedAt, f => f.Id);

    public IEnumerable<AccountLink> AccountLinks =>
    [
        new("contactSchema", "vocab:contactSchema", "The custom fields of the account's contacts", ContactSchemaRoute),
        new("userSchema", "vocab:userSchema", "The custom fields the account's users fill in", UserSchemaRoute),
    ];

    public void MapRoutes(AreaRoutes routes)
    {
        MapSchema(routes.Account, "/contact_schema", CustomFieldSchemas.Contact, "ContactSchema", "contact", ContactSchemaRoute, ContactFieldsRoute, ContactFieldRoute);
        MapSchema(routes.Account, "/user_schema", CustomFieldSchemas.User, "UserSchema", "user", UserSchemaRoute, UserFieldsRoute, UserFieldRoute);
    }

    private static void MapSchema(RouteGroupBuilder account, string path, string schema, string schemaClass, string owner,
        string schemaRoute, string fieldsRoute, string fieldRoute)
    {
        var link = "Account." + char.ToLowerInvariant(schemaClass[0]) + schemaClass[1..];
        var get = account.MapGet(path, (AccountMember member, HypermediaDbContext db, Iris iris, CancellationToken cancellationToken) =>
                GetSchemaAsync(schema, member, db, iris, cancellationToken))
            .WithName(schemaRoute)
            .Documented(link, $"Get the account's {owner} schema with its fields");
        if (schema == CustomFieldSchemas.Contact)
        {
            get.Produces<ContactSchemaResource>();
        }
        else
        {
            get.Produces<UserSchemaResource>();
        }

        account.MapPost(path, (AccountMember member, HttpRequest request, HypermediaDbContext db, Iris iris, TimeProvider clock) =>
                CreateAsync(schema, member, request, db, iris, clock))
            .Documented(link, $"Add a field to the {owner} schema (admins); the slug is derived from the title when absent")
            .AcceptsBody<CreateCustomFieldRequest>().Produces<CustomFieldResource>(201).ProducesProblems(403, 409);
        account.MapGet(path + "/fields", (AccountMember member, HttpRequest request, HypermediaDbContext db, Iris iris) =>
                ListAsync(schema, member, request, db, iris))
            .WithName(fieldsRoute)
            .Documented(schemaClass + ".fields", $"List the {owner} schema's fields, oldest first")
            .Produces<HydraCollection<CustomFieldResource>>();
        account.MapGet(path + "/{slug}", (AccountMember member, string slug, HypermediaDbContext db, Iris iris, CancellationToken cancellationToken) =>
                GetAsync(schema, member, slug, db, iris, cancellationToken))
            .WithName(fieldRoute)
            .Documented("CustomField", $"Get a field of the {owner} schema")
            .Produces<CustomFieldResource>();
        account.MapPut(path + "/{slug}", (AccountMember member, string slug, HttpRequest request, HypermediaDbContext db, Iris iris) =>
                UpdateAsync(schema, member, slug, request, db, iris))
            .Documented("CustomField", $"Change a field of the {owner} schema (admins): title, description, and type while no {owner} holds a value")
            .AcceptsBody<UpdateCustomFieldRequest>().Produces<CustomFieldResource>().ProducesProblems(403, 409);
    }

    /// <summary>The field with whether a contact (a contact schema field) or a member of its account (a user schema field) holds a value for it.</summary>
    private static Expression<Func<CustomField, FieldView>> WithUse(HypermediaDbContext db) => f => new FieldView
    {
        Field = f,
        InUse = f.Schema == CustomFieldSchemas.Contact
            ? db.Set<Contact>().Any(c => c.AccountId == f.AccountId && EF.Functions.JsonExists(c.CustomValues, f.Id.ToString()))
            : db.Set<User>().Any(u => u.Memberships.Any(m => m.AccountId == f.AccountId) && EF.Functions.JsonExists(u.CustomValues, f.Id.ToString())),
    };

    private static IQueryable<CustomField> Fields(HypermediaDbContext db, long accountId, string schema) =>
        db.CustomFields.Where(f => f.AccountId == accountId && f.Schema == schema);

    private static async Task<IResult> GetSchemaAsync(string schema, AccountMember member, HypermediaDbContext db, Iris iris, CancellationToken cancellationToken)
    {
        var fields = await Fields(db, member.Account.Id, schema).OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).AsNoTracking().Select(WithUse(db)).ToListAsync(cancellationToken);
        var slug = member.Account.Slug;
        var document = SchemaDocuments.For(schema, slug, [.. fields.Select(v => CustomFieldResource.From(v.Field, slug, v.InUse, iris))], iris);

        // Written as its own type, not as the Resource it is declared as.
        return document is ContactSchemaResource contactSchema ? ApiResults.Ok(contactSchema) : ApiResults.Ok((UserSchemaResource)document);
    }

    private static async Task<IResult> ListAsync(string schema, AccountMember member, HttpRequest request, HypermediaDbContext db, Iris iris)
    {
        var slug = member.Account.Slug;
        return ApiResults.Ok(await Fields(db, member.Account.Id, schema)
            .PageAsync(request, Model, Oldest, WithUse(db), v => v.Field, v => CustomFieldResource.From(v.Field, slug, v.InUse, iris)));
    }

    private static async Task<FieldView> FindAsync(string schema, AccountMember member, string slug, HypermediaDbContext db, CancellationToken cancellationToken) =>
        await Fields(db, member.Account.Id, schema).AsNoTracking().Where(f => f.Slug == slug).Select(WithUse(db)).SingleOrDefaultAsync(cancellationToken)
        ?? throw ApiException.NotFound("custom field");

    private static async Task<IResult> GetAsync(string schema, AccountMember member, string slug, HypermediaDbContext db, Iris iris, CancellationToken cancellationToken)
    {
        var found = await FindAsync(schema, member, slug, db, cancellationToken);
        return ApiResults.Ok(CustomFieldResource.From(found.Field, member.Account.Slug, found.InUse, iris));
    }

    private static async Task<IResult> CreateAsync(string schema, AccountMember member, HttpRequest request, HypermediaDbContext db, Iris iris, TimeProvider clock)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        member.RequireAdmin();
        var body = await RequestBody.ReadAsync<CreateCustomFieldRequest>(request);
        var validator = new Validator();
        var type = CustomFieldRules.Type(validator, body.Type, required: true);
        var title = validator.Text("title", body.Title, CustomFieldRules.MaxTitle);
        var description = validator.Text("description", body.Description, CustomFieldRules.MaxDescription, required: false) ?? "";
        var slug = CustomFieldRules.Slug(validator, body.Slug, title);
        validator.ThrowIfInvalid();

        var accountId = member.Account.Id;
        var taken = await Fields(db, accountId, schema).Select(f => f.Slug).ToListAsync(cancellationToken);
        if (taken.Contains(slug!))
        {
            throw SlugTaken(schema, slug!);
        }

        if (taken.Count >= CustomFieldRules.MaxFields)
        {
            throw ApiException.Conflict($"The {schema} schema already holds {CustomFieldRules.MaxFields} fields, the most it may.");
        }

        var field = new CustomField
        {
            AccountId = accountId,
            Schema = schema,
            Slug = slug!,
            Title = title!,
            Type = type!,
            Description = description,
            CreatedAt = clock.GetUtcNow(),
        };
        db.CustomFields.Add(field);

        // Two requests creating one slug at once both pass the check above; the unique index lets one in.
        await db.SaveOrConflictAsync("Another request changed this schema at the same moment; retry.", cancellationToken,
            unique => unique.ConstraintName == CustomFieldConfiguration.SlugIndex ? SlugTaken(schema, slug!) : null);
        return ApiResults.Created(CustomFieldResource.From(field, member.Account.Slug, inUse: false, iris));
    }

    private static ApiException SlugTaken(string schema, string slug) =>
        ApiException.Conflict($"The {schema} schema already has a field with the slug '{slug}'.");

    private static async Task<IResult> UpdateAsync(string schema, AccountMember member, string slug, HttpRequest request, HypermediaDbContext db, Iris iris)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        member.RequireAdmin();
        var body = await RequestBody.ReadAsync<UpdateCustomFieldRequest>(request);
        var validator = new Validator();
        var title = body.Title is null ? null : validator.Text("title", body.Title, CustomFieldRules.MaxTitle);
        var description = body.Description is null ? null : validator.Text("description", body.Description, CustomFieldRules.MaxDescription, required: false) ?? "";
        var type = CustomFieldRules.Type(validator, body.Type, required: false);
        validator.ThrowIfInvalid();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var fieldId = await Fields(db, member.Account.Id, schema).Where(f => f.Slug == slug).Select(f => (long?)f.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("custom field");

        // Locked for update, so a type change and a write of a value cannot pass each other: values are
        // written under a key-share lock on their fields (CustomValues.LockFieldsAsync).
        await db.TryLockRowAsync<CustomField>(fieldId, RowLock.ForUpdate, cancellationToken);
        var found = await db.CustomFields.Where(f => f.Id == fieldId).Select(WithUse(db)).SingleAsync(cancellationToken);
        var field = found.Field;
        if (type is not null && type != field.Type && found.InUse)
        {
            throw ApiException.Conflict($"The field '{slug}' holds values of type {field.Type}; its type cannot change while any {schema} has a value for it (remove the values first).");
        }

        field.Title = title ?? field.Title;
        field.Description = description ?? field.Description;
        field.Type = type ?? field.Type;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Ok(CustomFieldResource.From(field, member.Account.Slug, found.InUse, iris));
    }

    private sealed class FieldView
    {
        public required CustomField Field { get; init; }

        public required bool InUse { get; init; }
    }

    private sealed class CustomFieldRow : QueryRow<CustomField>
    {
        public required string Slug { get; init; }

        public required string Title { get; init; }

        public required string Type { get; init; }

        public required string Description { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }
    }
}
