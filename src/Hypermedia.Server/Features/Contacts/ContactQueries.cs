using Hypermedia.Querying;
using Hypermedia.Server.Platform.Collections;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Contacts;

/// <summary>How contact collections are searched, filtered and ordered; shared by contacts and contact filters.</summary>
public static class ContactQueries
{
    public static readonly QueryModel<Contact> Model = new QueryModel<Contact>("Contact")
        .Property("name", c => c.Name)
        .Property("businessName", c => c.BusinessName)
        .Property("blocked", c => c.BlockedAt != null)
        .Property("createdAt", c => c.CreatedAt)
        .Property("updatedAt", c => c.UpdatedAt);

    /// <summary>Alphabetical, as TextUs orders contacts.</summary>
    public static readonly KeysetOrder<Contact> Alphabetical = KeysetOrder<Contact>.By(c => c.Name, c => c.Id);

    public static readonly QueryModel<ContactPhone> PhoneModel = new QueryModel<ContactPhone>("ContactPhone")
        .Property("phoneNumber", p => p.PhoneNumber)
        .Property("extension", p => p.Extension)
        .Property("type", p => p.Type)
        .Property("createdAt", p => p.CreatedAt);

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
            return contacts.Where(c => c.Phones.Any(p => EF.Functions.Like(p.PhoneNumber, digitPattern)));
        }

        var pattern = SearchText.Contains(q);
        return contacts.Where(c => EF.Functions.ILike(c.Name, pattern) || EF.Functions.ILike(c.BusinessName!, pattern));
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
            return phones.Where(p => EF.Functions.Like(p.PhoneNumber, digitPattern));
        }

        var pattern = SearchText.Contains(q);
        return phones.Where(p => EF.Functions.ILike(p.Contact!.Name, pattern));
    }
}
