using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.CustomFields;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Contacts;

[HydraClass("Contact", "A person or business the account texts with.")]
public sealed class ContactResource() : Resource("Contact")
{
    [Description("Full name")]
    public required string Name { get; init; }

    [Description("First name, derived from name")]
    public required string? FirstName { get; init; }

    [Description("Last name, derived from name")]
    public required string? LastName { get; init; }

    [Description("The contact's phone numbers")]
    public required HydraCollection<ContactPhoneResource> Phones { get; init; }

    [Description("Notes users wrote about the contact")]
    public required string Notes { get; init; }

    [Description("businessName and tags")]
    public required ContactData Data { get; init; }

    [Description("Values of the account's contact schema fields, keyed by the field's slug; PUT a key with null to remove a value")]
    public required JsonObject CustomFields { get; init; }

    [Description("Blocked contacts are hidden from the 'all' filter and cannot be texted")]
    public required bool Blocked { get; init; }

    [Description("PUT to block; null while blocked")]
    public required string? BlockContact { get; init; }

    [Description("DELETE to unblock; null unless blocked")]
    public required string? UnblockContact { get; init; }

    [Description("The account the contact belongs to")]
    public required string Account { get; init; }

    [Description("The conversations of the contact's numbers, across your accounts")]
    public required string Conversations { get; init; }

    [Description("When the contact was created")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("When the contact last changed")]
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// <paramref name="contact"/> must have its phones and account loaded; <paramref name="keys"/> names its custom
    /// values (<see cref="FieldKeys.ForContactsAsync"/>).
    /// </summary>
    public static ContactResource From(Contact contact, Iris iris, FieldKeys keys)
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
            CustomFields = keys.Document(contact.CustomValues),
            Blocked = contact.BlockedAt is not null,
            BlockContact = contact.BlockedAt is null ? blockIri : null,
            UnblockContact = contact.BlockedAt is null ? null : blockIri,
            Account = iris.For(AccountsApi.AccountRoute, new { account = contact.Account!.Slug }),
            Conversations = iris.For(ConversationsApi.ContactConversationsRoute, new { id = contact.Slug }),
            CreatedAt = contact.CreatedAt,
            UpdatedAt = contact.UpdatedAt,
        };
    }
}

/// <summary>The small form of a Contact embedded in other resources (a conversation's assigned contact).</summary>
public sealed class ContactReference() : Resource("Contact")
{
    public required string Name { get; init; }

    public static ContactReference From(string slug, string name, Iris iris) => new()
    {
        Id = iris.For(ContactsApi.ContactRoute, new { id = slug }),
        Name = name,
    };
}

/// <summary>TextUs keeps a contact's business and tags under <c>data</c>.</summary>
public sealed record ContactData(string? BusinessName, IReadOnlyList<string> Tags);

[HydraClass("Contact phone", "One phone number of a contact.")]
public sealed class ContactPhoneResource() : Resource("ContactPhone")
{
    [Description("E.164 number")]
    public required string PhoneNumber { get; init; }

    [Description("The number formatted for people")]
    public required string FormattedPhoneNumber { get; init; }

    [Description("Extension digits, or null")]
    public required string? Extension { get; init; }

    [Description("Whether the number is valid in its region's numbering plan (any possible number is accepted; texts need a valid one)")]
    public required bool ValidForRegion { get; init; }

    /// <summary>The label (Mobile, Work…); "type" in JSON as TextUs names it, apart from <c>@type</c>.</summary>
    [JsonPropertyName("type")]
    [Description("Label such as Mobile or Work")]

    public required string PhoneType { get; init; }

    /// <summary>"unknown" until a message has been delivered or failed.</summary>
    [Description("Whether texts reach the number")]
    public string DeliverabilityStatus => "unknown";

    [Description("The contact")]
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

[HydraClass("Contact note", "A note a user added to a contact.")]
public sealed class ContactNoteResource() : Resource("ContactNote")
{
    [Description("The note's text")]
    public required string Content { get; init; }

    [Description("When the note was written")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("When the note last changed")]
    public required DateTimeOffset UpdatedAt { get; init; }

    [Description("Who wrote it")]
    public required UserReference User { get; init; }

    [Description("The contact")]
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
