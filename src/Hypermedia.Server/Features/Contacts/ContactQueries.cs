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

    /// <summary><c>q</c>: a case-insensitive match on name or business name, or on the digits of any of the contact's numbers.</summary>
    public static IQueryable<Contact> Search(IQueryable<Contact> contacts, string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return contacts;
        }

        var pattern = SearchText.Contains(q);
        var digits = new string([.. q.Where(char.IsAsciiDigit)]);
        if (digits.Length < 3)
        {
            return contacts.Where(c => EF.Functions.ILike(c.Name, pattern) || EF.Functions.ILike(c.BusinessName!, pattern));
        }

        var digitPattern = SearchText.Contains(digits);
        return contacts.Where(c => EF.Functions.ILike(c.Name, pattern) || EF.Functions.ILike(c.BusinessName!, pattern)
            || c.Phones.Any(p => EF.Functions.Like(p.PhoneNumber, digitPattern)));
    }

    /// <summary><c>q</c> over contact phones: the number's digits, or the contact's name.</summary>
    public static IQueryable<ContactPhone> SearchPhones(IQueryable<ContactPhone> phones, string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return phones;
        }

        var pattern = SearchText.Contains(q);
        var digits = new string([.. q.Where(char.IsAsciiDigit)]);
        var digitPattern = digits.Length >= 3 ? SearchText.Contains(digits) : null;
        return phones.Where(p => EF.Functions.ILike(p.Contact!.Name, pattern)
            || (digitPattern != null && EF.Functions.Like(p.PhoneNumber, digitPattern)));
    }
}
