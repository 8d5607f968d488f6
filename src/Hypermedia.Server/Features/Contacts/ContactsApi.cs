using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Features.CustomFields;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hypermedia.Server.Features.Contacts;

/// <summary>
/// Contacts, their phones and notes, and blocking. Any member of the contact's account may use
/// them; for anyone else every contact IRI is a 404.
/// </summary>
public sealed class ContactsApi : IApiArea
{
    public const string AccountContactsRoute = "accountContacts";
    public const string ContactRoute = "contact";
    public const string ContactPhonesRoute = "contactPhones";
    public const string ContactPhoneRoute = "contactPhone";
    public const string AccountContactPhonesRoute = "accountContactPhones";
    public const string ContactNotesRoute = "contactNotes";
    public const string ContactNoteRoute = "contactNote";
    public const string ContactBlockRoute = "contactBlock";

    private static readonly QueryModel<ContactNote> NoteModel = QueryModel.Create<ContactNote, NoteRow>("ContactNote", n => new NoteRow
    {
        Entity = n,
        Content = n.Content,
        CreatedAt = n.CreatedAt,
        UpdatedAt = n.UpdatedAt,
    });

    private static readonly KeysetOrder<ContactNote> NewestNotes = KeysetOrder<ContactNote>.By(n => n.CreatedAt, n => n.Id, descending: true);

    public IEnumerable<AccountLink> AccountLinks =>
    [
        new("contacts", "vocab:contacts", "The account's contacts", AccountContactsRoute),
        new("contactPhones", "vocab:contactPhones", "The phones of the account's contacts", AccountContactPhonesRoute),
    ];

    public void MapRoutes(AreaRoutes routes)
    {
        var account = routes.Account;
        var api = routes.Authenticated;
        account.MapGet("/contacts", List).WithName(AccountContactsRoute)
            .Documented("Account.contacts", "List the account's contacts, alphabetically; q searches name, business and number")
            .Produces<HydraCollection<ContactResource>>().ProducesProblems(404)
            .Searchable("q");
        account.MapPost("/contacts", Create)
            .Documented("Account.contacts", "Create a contact (201 with Location; TextUs answers 200)")
            .AcceptsBody<ContactRequest>().Produces<ContactResource>(201).ProducesProblems(404);
        api.MapGet("/contacts/{id}", Get).WithName(ContactRoute)
            .Documented("Contact", "Get a contact")
            .Produces<ContactResource>().ProducesProblems(404);
        api.MapPut("/contacts/{id}", Update)
            .Documented("Contact", "Update a contact; omitted fields stay, phones given replace the list; If-Match makes it conditional (412)")
            .AcceptsBody<ContactRequest>().Produces<ContactResource>().ProducesProblems(404, 409, 412);
        api.MapDelete("/contacts/{id}", Delete)
            .Documented("Contact", "Delete a contact that has no message history (409 otherwise: block it instead); If-Match makes it conditional (412)")
            .Produces(204).ProducesProblems(404, 409, 412);
        api.MapGet("/contacts/{id}/phones", ListContactPhones).WithName(ContactPhonesRoute)
            .Documented("Contact.phones", "List a contact's phones")
            .Produces<HydraCollection<ContactPhoneResource>>().ProducesProblems(404);
        api.MapGet("/contact_phones/{id}", GetPhone).WithName(ContactPhoneRoute)
            .Documented("ContactPhone", "Get a contact phone")
            .Produces<ContactPhoneResource>().ProducesProblems(404);
        account.MapGet("/contact_phones", ListAccountPhones).WithName(AccountContactPhonesRoute)
            .Documented("Account.contactPhones", "List the phones of the account's contacts; q searches number and name")
            .Produces<HydraCollection<ContactPhoneResource>>().ProducesProblems(404)
            .Searchable("q");
        api.MapGet("/contacts/{id}/notes", ListNotes).WithName(ContactNotesRoute)
            .Documented("Contact.notes", "List a contact's notes, newest first")
            .Produces<HydraCollection<ContactNoteResource>>().ProducesProblems(404);
        api.MapPost("/contacts/{id}/notes", CreateNote)
            .Documented("Contact.notes", "Add a note to a contact")
            .AcceptsBody<ContactNoteRequest>().Produces<ContactNoteResource>(201).ProducesProblems(404);
        api.MapGet("/contact_notes/{id}", GetNote).WithName(ContactNoteRoute)
            .Documented("ContactNote", "Get a note")
            .Produces<ContactNoteResource>().ProducesProblems(404);
        api.MapPut("/contacts/{id}/block", Block).WithName(ContactBlockRoute)
            .Documented("Contact.blockContact", "Block the contact")
            .Produces<ContactResource>().ProducesProblems(404);
        api.MapDelete("/contacts/{id}/block", Unblock)
            .Documented("Contact.unblockContact", "Unblock the contact")
            .Produces<ContactResource>().ProducesProblems(404);
    }

    /// <summary>Contacts of every account the caller belongs to.</summary>
    private static IQueryable<Contact> Visible(HypermediaDbContext db, AccountAccess access)
    {
        var accounts = access.MemberAccountIds();
        return db.Contacts.Where(c => accounts.Contains(c.AccountId));
    }

    private static async Task<Contact> FindAsync(string id, HypermediaDbContext db, AccountAccess access, CancellationToken cancellationToken) =>
        await ContactQueries.FindVisible(db, id, access.CallerId, cancellationToken)
        ?? throw ApiException.NotFound("contact");

    /// <summary>The key of a contact the caller may see, for a write to lock it by; 404 otherwise.</summary>
    private static async Task<long> FindIdAsync(string id, HypermediaDbContext db, AccountAccess access, CancellationToken cancellationToken) =>
        await Visible(db, access).Where(c => c.Slug == id).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken)
        ?? throw ApiException.NotFound("contact");

    /// <summary>
    /// Begins the transaction of a write to a contact or what hangs under it (phones, notes, the block)
    /// and locks the contact's row for it: writes to one contact take turns, so a PUT always starts from
    /// the phones the previous one left (never more than <see cref="ContactRules.MaxPhones"/>, never a
    /// number twice), and a delete waits for, or is waited for by, every other write (404 for the loser).
    /// </summary>
    private static async Task<IDbContextTransaction> BeginLockedAsync(HypermediaDbContext db, long contactId, RowLock strength, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.TryLockRowAsync<Contact>(contactId, strength, cancellationToken))
        {
            await transaction.DisposeAsync();
            throw ApiException.NotFound("contact");
        }

        return transaction;
    }

    /// <summary>Loads a locked contact: read after the lock, so it holds what the previous writer committed.</summary>
    private static Task<Contact> LoadLockedAsync(HypermediaDbContext db, long contactId, CancellationToken cancellationToken) =>
        db.Contacts.Include(c => c.Phones).Include(c => c.Account).SingleAsync(c => c.Id == contactId, cancellationToken);

    public static string ETagOf(Contact contact) => ETags.ForVersion(nameof(Contact), contact.Id, contact.Version);

    private static async Task<IResult> List(AccountMember member, string? q, HttpRequest request, HypermediaDbContext db, Iris iris)
    {
        var contacts = ContactQueries.Search(db.Contacts.Where(c => c.AccountId == member.Account.Id), q);
        return ApiResults.Ok(await contacts.PageDocumentsAsync(request, db, iris));
    }

    private static async Task<IResult> Create(AccountMember member, HttpRequest request, HypermediaDbContext db, Iris iris, TimeProvider clock)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var valid = ContactRules.Validate(await RequestBody.ReadAsync<ContactRequest>(request), creating: true);
        var now = clock.GetUtcNow();
        // The member's account was read untracked: attached, the contact refers to it instead of inserting it.
        db.Attach(member.Account);
        var contact = new Contact { Slug = Slugs.New(), AccountId = member.Account.Id, Account = member.Account, Name = "", CreatedAt = now };
        Apply(contact, valid, now);
        await using var transaction = valid.CustomFields is { Count: > 0 } ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var keys = await ApplyCustomFieldsAsync(db, contact, valid.CustomFields, cancellationToken);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return ApiResults.Created(ContactResource.From(contact, iris, keys), ETagOf(contact));
    }

    private static async Task<IResult> Get(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var contact = await FindAsync(id, db, access, cancellationToken);
        return ApiResults.Ok(ContactResource.From(contact, iris, await FieldKeys.ForContactsAsync(db, [contact], cancellationToken)), ETagOf(contact));
    }

    private static async Task<IResult> Update(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var contactId = await FindIdAsync(id, db, access, cancellationToken);
        // Read the body before locking: a slow client must not hold up other writers.
        var valid = ContactRules.Validate(await RequestBody.ReadAsync<ContactRequest>(request), creating: false);
        await using var transaction = await BeginLockedAsync(db, contactId, RowLock.ForNoKeyUpdate, cancellationToken);
        var contact = await LoadLockedAsync(db, contactId, cancellationToken);
        ETags.RequireIfMatch(request, ETagOf(contact));
        db.ContactPhones.RemoveRange(Apply(contact, valid, clock.GetUtcNow()));
        var keys = await ApplyCustomFieldsAsync(db, contact, valid.CustomFields, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Ok(ContactResource.From(contact, iris, keys), ETagOf(contact));
    }

    /// <summary>Sets the fields the request sent (an empty business name clears it); returns phone rows to delete.</summary>
    private static List<ContactPhone> Apply(Contact contact, ValidContact valid, DateTimeOffset now)
    {
        contact.Name = valid.Name ?? contact.Name;
        contact.BusinessName = valid.SetsBusinessName ? valid.BusinessName : contact.BusinessName;
        contact.Tags = valid.Tags ?? contact.Tags;
        contact.UpdatedAt = now;
        return valid.Phones is null ? [] : ReplacePhones(contact, valid.Phones, now);
    }

    /// <summary>
    /// Sets the custom values the request sent (<c>customFields: {slug: value}</c>, null removes one), checked against
    /// the account's contact schema read under a key-share lock in the caller's transaction; answers how the
    /// contact's values are named in its document. Unknown slugs and values of the wrong type are a 422 naming
    /// <c>customFields.{slug}</c>.
    /// </summary>
    private static async Task<FieldKeys> ApplyCustomFieldsAsync(HypermediaDbContext db, Contact contact, System.Text.Json.Nodes.JsonObject? changes,
        CancellationToken cancellationToken)
    {
        if (changes is not { Count: > 0 } && contact.CustomValues == CustomValues.None)
        {
            return FieldKeys.None;
        }

        var fields = changes is { Count: > 0 }
            ? await CustomValues.LockFieldsAsync(db, CustomFieldSchemas.Contact, [contact.AccountId], cancellationToken)
            : null;
        if (fields is not null)
        {
            var validator = new Validator();
            var known = fields.Count == 0 ? "the account's contact schema has no fields" : "known: " + string.Join(", ", fields.Select(f => f.Slug));
            contact.CustomValues = CustomValues.Apply(validator, contact.CustomValues, changes!, fields.ToDictionary(f => f.Slug),
                slug => "customFields." + slug, $"is not a field of this account's contact schema ({known})");
            validator.ThrowIfInvalid();
        }

        return await FieldKeys.ForContactsAsync(db, [contact], cancellationToken);
    }

    /// <summary>
    /// Makes the contact's phones exactly <paramref name="phones"/>, keeping the rows (and IRIs) of numbers
    /// that stay; returns the rows to delete.
    /// </summary>
    private static List<ContactPhone> ReplacePhones(Contact contact, List<ValidPhone> phones, DateTimeOffset now)
    {
        var removed = contact.Phones.Where(p => !phones.Any(v => v.Number == p.PhoneNumber && v.Extension == p.Extension)).ToList();
        contact.Phones.RemoveAll(removed.Contains);
        for (var i = 0; i < phones.Count; i++)
        {
            var wanted = phones[i];
            var phone = contact.Phones.SingleOrDefault(p => p.PhoneNumber == wanted.Number && p.Extension == wanted.Extension);
            if (phone is null)
            {
                phone = new ContactPhone { Slug = Slugs.New(), PhoneNumber = wanted.Number, Extension = wanted.Extension, Type = wanted.Type, CreatedAt = now };
                contact.Phones.Add(phone);
            }

            phone.AccountId = contact.AccountId;
            phone.Type = wanted.Type;
            phone.Position = i;
        }

        return removed;
    }

    private static async Task<IResult> Delete(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, CancellationToken cancellationToken)
    {
        var contactId = await FindIdAsync(id, db, access, cancellationToken);
        await using var transaction = await BeginLockedAsync(db, contactId, RowLock.ForUpdate, cancellationToken);
        var contact = await LoadLockedAsync(db, contactId, cancellationToken);
        ETags.RequireIfMatch(request, ETagOf(contact));
        var numbers = contact.Phones.Select(p => p.PhoneNumber).ToList();
        if (await db.Set<Message>().AnyAsync(m => m.AccountId == contact.AccountId && numbers.Contains(m.PhoneNumber), cancellationToken))
        {
            throw ApiException.Conflict("The contact has message history, which is kept; block the contact instead of deleting it.");
        }

        db.Contacts.Remove(contact);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ListContactPhones(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var contact = await FindAsync(id, db, access, request.HttpContext.RequestAborted);
        return ApiResults.Ok(contact.Phones.OrderBy(p => p.Position)
            .Page(request, ContactQueries.PhoneModel, p => ContactPhoneResource.From(p, contact.Slug, iris)));
    }

    private static async Task<IResult> GetPhone(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var accounts = access.MemberAccountIds();
        var phone = await db.ContactPhones.Include(p => p.Contact)
            .SingleOrDefaultAsync(p => p.Slug == id && accounts.Contains(p.AccountId), cancellationToken)
            ?? throw ApiException.NotFound("contact phone");
        return ApiResults.Ok(ContactPhoneResource.From(phone, phone.Contact!.Slug, iris));
    }

    private static async Task<IResult> ListAccountPhones(AccountMember member, string? q, HttpRequest request, HypermediaDbContext db, Iris iris)
    {
        var phones = ContactQueries.SearchPhones(db.ContactPhones.Where(p => p.AccountId == member.Account.Id), q);
        return ApiResults.Ok(await phones.Include(p => p.Contact)
            .PageAsync(request, ContactQueries.PhoneModel, ContactQueries.PhonesByNumber, p => ContactPhoneResource.From(p, p.Contact!.Slug, iris)));
    }

    private static async Task<IResult> ListNotes(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var contact = await FindAsync(id, db, access, request.HttpContext.RequestAborted);
        return ApiResults.Ok(await db.ContactNotes.Where(n => n.ContactId == contact.Id).Include(n => n.User).Include(n => n.Contact)
            .PageAsync(request, NoteModel, NewestNotes, n => ContactNoteResource.From(n, iris)));
    }

    private static async Task<IResult> CreateNote(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var contactId = await FindIdAsync(id, db, access, cancellationToken);
        var body = await RequestBody.ReadAsync<ContactNoteRequest>(request);
        var validator = new Validator();
        var content = validator.Text("content", body.Content, ContactRules.MaxNote);
        validator.ThrowIfInvalid();

        // A key-share lock: notes may be added side by side and during a PUT, but not to a contact being deleted.
        await using var transaction = await BeginLockedAsync(db, contactId, RowLock.ForKeyShare, cancellationToken);
        var now = clock.GetUtcNow();
        var note = new ContactNote { Slug = Slugs.New(), ContactId = contactId, UserId = access.CallerId, Content = content!, CreatedAt = now, UpdatedAt = now };
        db.ContactNotes.Add(note);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await db.Entry(note).Reference(n => n.User).LoadAsync(cancellationToken);
        // FindIdAsync matched the slug exactly.
        return ApiResults.Created(ContactNoteResource.From(note, id, iris));
    }

    private static async Task<IResult> GetNote(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var accounts = access.MemberAccountIds();
        var note = await db.ContactNotes.Include(n => n.User).Include(n => n.Contact)
            .SingleOrDefaultAsync(n => n.Slug == id && accounts.Contains(n.Contact!.AccountId), cancellationToken)
            ?? throw ApiException.NotFound("note");
        return ApiResults.Ok(ContactNoteResource.From(note, iris));
    }

    private static Task<IResult> Block(string id, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock, CancellationToken cancellationToken) =>
        SetBlockedAsync(id, blocked: true, db, access, iris, clock, cancellationToken);

    private static Task<IResult> Unblock(string id, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock, CancellationToken cancellationToken) =>
        SetBlockedAsync(id, blocked: false, db, access, iris, clock, cancellationToken);

    /// <summary>Idempotent: blocking a blocked contact keeps its original block time.</summary>
    private static async Task<IResult> SetBlockedAsync(string id, bool blocked, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock, CancellationToken cancellationToken)
    {
        var contactId = await FindIdAsync(id, db, access, cancellationToken);
        await using var transaction = await BeginLockedAsync(db, contactId, RowLock.ForNoKeyUpdate, cancellationToken);
        var contact = await LoadLockedAsync(db, contactId, cancellationToken);
        var now = clock.GetUtcNow();
        if (blocked != (contact.BlockedAt is not null))
        {
            contact.BlockedAt = blocked ? now : null;
            contact.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return ApiResults.Ok(ContactResource.From(contact, iris, await FieldKeys.ForContactsAsync(db, [contact], cancellationToken)));
    }

    private sealed class NoteRow : QueryRow<ContactNote>
    {
        public required string Content { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }

        public required DateTimeOffset UpdatedAt { get; init; }
    }
}
