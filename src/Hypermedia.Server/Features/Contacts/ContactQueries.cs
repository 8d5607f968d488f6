using System.Linq.Expressions;
using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.CustomFields;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Contacts;

/// <summary>How contact collections are searched, filtered and ordered; shared by contacts and contact filters.</summary>
public static class ContactQueries
{
    /// <summary>
    /// The Contact document's members, so <c>data/tags/any(t: t eq 'vip')</c> and
    /// <c>phones/any(p: p/phoneNumber eq '+13035551234')</c> read as the JSON does; <c>businessName</c> is also
    /// kept at the top level, where clients of the first release filter it.
    /// </summary>
    public static readonly QueryModel<Contact> Model = QueryModel.Create<Contact, ContactRow>("Contact", c => new ContactRow
    {
        Entity = c,
        Name = c.Name,
        BusinessName = c.BusinessName,
        Blocked = c.BlockedAt != null,
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
        Data = new ContactDataRow { BusinessName = c.BusinessName, Tags = c.Tags },
        Phones = c.Phones.Select(p => new ContactPhoneTerms { PhoneNumber = p.PhoneNumber, Extension = p.Extension, Type = p.Type }),
    });

    /// <summary>
    /// A contact as its document needs it, read in the same statement: its columns, its phones, and of its
    /// account only the id, slug and name (the account's settings and numbers are not read). Untracked:
    /// for reads only; a write loads the whole contact.
    /// </summary>
    public static readonly Expression<Func<Contact, Contact>> Document = c => new Contact
    {
        Id = c.Id,
        Slug = c.Slug,
        AccountId = c.AccountId,
        Account = new Account { Id = c.Account!.Id, Slug = c.Account.Slug, Name = c.Account.Name },
        Name = c.Name,
        BusinessName = c.BusinessName,
        Tags = c.Tags,
        BlockedAt = c.BlockedAt,
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
        Version = c.Version,
        Phones = c.Phones.ToList(),
        CustomValues = c.CustomValues,
    };

    /// <summary>
    /// A contact by slug, as <see cref="Document"/>, if the caller is a member of its account; compiled once,
    /// as every GET of a contact, its phones or its notes runs it. The caller is a parameter, never cached.
    /// </summary>
    public static readonly Func<HypermediaDbContext, string, long, CancellationToken, Task<Contact?>> FindVisible =
        EF.CompileAsyncQuery((HypermediaDbContext db, string slug, long callerId, CancellationToken cancellationToken) =>
            db.Set<Contact>().AsNoTracking()
                .Where(c => c.Slug == slug && db.Set<Membership>().Any(m => m.UserId == callerId && m.AccountId == c.AccountId))
                .Select(Document)
                .SingleOrDefault());

    /// <summary>
    /// A page of contact documents: the contacts read as <see cref="Document"/>, then, only if one of them holds
    /// custom values, the slugs of their account's contact schema (one more query).
    /// </summary>
    public static async Task<HydraCollection<ContactResource>> PageDocumentsAsync(this IQueryable<Contact> contacts, HttpRequest request,
        HypermediaDbContext db, Iris iris)
    {
        var page = await contacts.PageAsync(request, Model, Alphabetical, c => c, Document);
        var keys = await FieldKeys.ForContactsAsync(db, page.Members, request.HttpContext.RequestAborted);
        return page.Map(c => ContactResource.From(c, iris, keys));
    }

    /// <summary>Alphabetical, as TextUs orders contacts.</summary>
    public static readonly KeysetOrder<Contact> Alphabetical = KeysetOrder<Contact>.By(c => c.Name, c => c.Id);

    public static readonly QueryModel<ContactPhone> PhoneModel = QueryModel.Create<ContactPhone, ContactPhoneRow>("ContactPhone", p => new ContactPhoneRow
    {
        Entity = p,
        PhoneNumber = p.PhoneNumber,
        Extension = p.Extension,
        Type = p.Type,
        CreatedAt = p.CreatedAt,
    });

    public static readonly KeysetOrder<ContactPhone> PhonesByNumber = KeysetOrder<ContactPhone>.By(p => p.PhoneNumber, p => p.Id);

    /// <summary>
    /// <c>q</c>: text with letters matches name or business name (case-insensitive); text of digits and
    /// punctuation, with at least 3 digits, matches the digits of any of the contact's numbers. One
    /// kind of match per query keeps each on its trigram index instead of an OR across two tables.
    /// </summary>
    public static IQueryable<Contact> Search(IQueryable<Contact> contacts, string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return contacts;
        }

        if (PhoneDigits(q) is { } digits)
        {
            var digitPattern = SearchText.Contains(digits);
            return contacts.Where(c => c.Phones.Any(p => EF.Functions.Like(p.PhoneNumber, digitPattern, SearchText.EscapeCharacter)));
        }

        var pattern = SearchText.Contains(q);
        return contacts.Where(c => EF.Functions.ILike(c.Name, pattern, SearchText.EscapeCharacter) || EF.Functions.ILike(c.BusinessName!, pattern, SearchText.EscapeCharacter));
    }

    /// <summary>The digits of a query that looks like (part of) a phone number, else null.</summary>
    private static string? PhoneDigits(string q)
    {
        var digits = new string([.. q.Where(char.IsAsciiDigit)]);
        return digits.Length >= 3 && !q.Any(char.IsLetter) ? digits : null;
    }

    /// <summary><c>q</c> over contact phones: the number's digits, or the contact's name.</summary>
    public static IQueryable<ContactPhone> SearchPhones(IQueryable<ContactPhone> phones, string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return phones;
        }

        if (PhoneDigits(q) is { } digits)
        {
            var digitPattern = SearchText.Contains(digits);
            return phones.Where(p => EF.Functions.Like(p.PhoneNumber, digitPattern, SearchText.EscapeCharacter));
        }

        var pattern = SearchText.Contains(q);
        return phones.Where(p => EF.Functions.ILike(p.Contact!.Name, pattern, SearchText.EscapeCharacter));
    }
}

public sealed class ContactRow : QueryRow<Contact>
{
    public required string Name { get; init; }

    public required string? BusinessName { get; init; }

    public required bool Blocked { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required ContactDataRow Data { get; init; }

    public required IEnumerable<ContactPhoneTerms> Phones { get; init; }
}

public sealed class ContactDataRow
{
    public required string? BusinessName { get; init; }

    public required IEnumerable<string> Tags { get; init; }
}

/// <summary>A phone as seen from its contact's filter (<c>phones/any(p: …)</c>).</summary>
public sealed class ContactPhoneTerms
{
    public required string PhoneNumber { get; init; }

    public required string? Extension { get; init; }

    public required string Type { get; init; }
}

public sealed class ContactPhoneRow : QueryRow<ContactPhone>
{
    public required string PhoneNumber { get; init; }

    public required string? Extension { get; init; }

    public required string Type { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
