using System.Text.Json.Serialization;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Http;

namespace Hypermedia.Server.Features.Contacts;

public sealed class ContactResource() : Resource("Contact")
{
    public required string Name { get; init; }

    public required string? FirstName { get; init; }

    public required string? LastName { get; init; }

    public required HydraCollection<ContactPhoneResource> Phones { get; init; }

    public required string Notes { get; init; }

    public required ContactData Data { get; init; }

    public required bool Blocked { get; init; }

    /// <summary>PUT here to block; null while already blocked.</summary>
    public required string? BlockContact { get; init; }

    /// <summary>DELETE here to unblock; null unless blocked.</summary>
    public required string? UnblockContact { get; init; }

    public required string Account { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary><paramref name="contact"/> must have its phones and account loaded.</summary>
    public static ContactResource From(Contact contact, Iris iris)
    {
        var (first, last) = PersonNames.Split(contact.Name);
        var blockIri = iris.For(ContactsApi.ContactBlockRoute, new { id = contact.Slug });
        return new ContactResource
        {
            Id = iris.For(ContactsApi.ContactRoute, new { id = contact.Slug }),
            Name = contact.Name,
            FirstName = first,
            LastName = last,
            Phones = ContactPhoneResource.Collection(contact, iris),
            Notes = iris.For(ContactsApi.ContactNotesRoute, new { id = contact.Slug }),
            Data = new ContactData(contact.BusinessName, contact.Tags),
            Blocked = contact.BlockedAt is not null,
            BlockContact = contact.BlockedAt is null ? blockIri : null,
            UnblockContact = contact.BlockedAt is null ? null : blockIri,
            Account = iris.For(AccountsApi.AccountRoute, new { account = contact.Account!.Slug }),
            CreatedAt = contact.CreatedAt,
            UpdatedAt = contact.UpdatedAt,
        };
    }
}

/// <summary>TextUs keeps a contact's business and tags under <c>data</c>.</summary>
public sealed record ContactData(string? BusinessName, IReadOnlyList<string> Tags);

public sealed class ContactPhoneResource() : Resource("ContactPhone")
{
    public required string PhoneNumber { get; init; }

    public required string FormattedPhoneNumber { get; init; }

    public required string? Extension { get; init; }

    /// <summary>Whether the number is assigned in its region's numbering plan; texts go only to valid numbers.</summary>
    public required bool ValidForRegion { get; init; }

    /// <summary>The label (Mobile, Work…); "type" in JSON as TextUs names it, apart from <c>@type</c>.</summary>
    [JsonPropertyName("type")]
    public required string PhoneType { get; init; }

    /// <summary>Whether texts reach this number; "unknown" until a message has been delivered or failed.</summary>
    public string DeliverabilityStatus => "unknown";

    public required string Contact { get; init; }

    public static ContactPhoneResource From(ContactPhone phone, string contactSlug, Iris iris)
    {
        // Computed from the stored number, so it follows libphonenumber's metadata as plans change.
        var number = Platform.Phones.PhoneNumber.FromE164(phone.PhoneNumber);
        return new()
        {
            Id = iris.For(ContactsApi.ContactPhoneRoute, new { id = phone.Slug }),
            PhoneNumber = phone.PhoneNumber,
            FormattedPhoneNumber = number.Formatted,
            Extension = phone.Extension,
            ValidForRegion = number.IsValid,
            PhoneType = phone.Type,
            Contact = iris.For(ContactsApi.ContactRoute, new { id = contactSlug }),
        };
    }

    public static HydraCollection<ContactPhoneResource> Collection(Contact contact, Iris iris) =>
        CollectionPager.Whole(iris.For(ContactsApi.ContactPhonesRoute, new { id = contact.Slug }),
            [.. contact.Phones.OrderBy(p => p.Position).Select(p => From(p, contact.Slug, iris))]);
}

public sealed class ContactNoteResource() : Resource("ContactNote")
{
    public required string Content { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required UserReference User { get; init; }

    public required string Contact { get; init; }

    /// <summary><paramref name="note"/> must have its user and contact loaded.</summary>
    public static ContactNoteResource From(ContactNote note, Iris iris) => From(note, note.Contact!.Slug, iris);

    /// <summary><paramref name="note"/> must have its user loaded.</summary>
    public static ContactNoteResource From(ContactNote note, string contactSlug, Iris iris) => new()
    {
        Id = iris.For(ContactsApi.ContactNoteRoute, new { id = note.Slug }),
        Content = note.Content,
        CreatedAt = note.CreatedAt,
        UpdatedAt = note.UpdatedAt,
        User = UserReference.From(note.User!, iris),
        Contact = iris.For(ContactsApi.ContactRoute, new { id = contactSlug }),
    };
}
