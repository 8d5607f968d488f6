namespace Hypermedia.Server.Features.Accounts;

/// <summary>A messaging account: the tenant boundary. Accounts form a tree through <see cref="Parent"/>.</summary>
public sealed class Account
{
    public long Id { get; set; }

    /// <summary>Human-readable, unique, used in every account-scoped IRI (/{slug}/contacts).</summary>
    public required string Slug { get; set; }

    public required string Name { get; set; }

    public long? ParentId { get; set; }

    public Account? Parent { get; set; }

    /// <summary>E.164 numbers the account sends from.</summary>
    public List<string> PhoneNumbers { get; set; } = [];

    /// <summary>True while the account may not send (not 10DLC registered, R21): every send is refused with a 422.</summary>
    public bool MessagingRestricted { get; set; }

    /// <summary>Whether the account may send over WhatsApp (<c>settings.whatsApp.enabled</c>).</summary>
    public bool WhatsAppEnabled { get; set; }

    /// <summary>
    /// The E.164 number the account sends WhatsApp messages from and receives them on (<c>settings.whatsApp.phoneNumber</c>);
    /// unique across accounts, and kept when WhatsApp is disabled only if the admin sends it again.
    /// </summary>
    public string? WhatsAppPhoneNumber { get; set; }

    /// <summary>Free-form settings as a JSON object (jsonb); <c>whatsApp</c> is not among them (the two columns above).</summary>
    public string Settings { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>PostgreSQL's xmin: changes with every write of the row.</summary>
    public uint Version { get; set; }
}
