using Hypermedia.Server.Features.Accounts;

namespace Hypermedia.Server.Features.CustomFields;

/// <summary>
/// One field of an account's contact schema or user schema: a typed value contacts (or users) may hold,
/// and a personalization variable (<c>{{contact.slug}}</c>, <c>{{user.slug}}</c>). Values are stored on the
/// contact or user, keyed by this row's <see cref="Id"/>, so they survive the field being retitled.
/// </summary>
public sealed class CustomField
{
    public long Id { get; set; }

    public long AccountId { get; set; }

    public Account? Account { get; set; }

    /// <summary><see cref="CustomFieldSchemas.Contact"/> or <see cref="CustomFieldSchemas.User"/>.</summary>
    public required string Schema { get; set; }

    /// <summary>Unique within the account's schema; never changes (it names the variable and the IRI).</summary>
    public required string Slug { get; set; }

    public required string Title { get; set; }

    /// <summary>One of <see cref="CustomFieldTypes.All"/>.</summary>
    public required string Type { get; set; }

    public string Description { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The key the field's values are stored under in a contact's or user's <c>custom_values</c>.</summary>
    public string ValueKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public static class CustomFieldSchemas
{
    public const string Contact = "contact";
    public const string User = "user";
}
