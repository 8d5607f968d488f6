using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;

namespace Hypermedia.Server.Features.Contacts;

public sealed class Contact
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public long AccountId { get; set; }

    public Account? Account { get; set; }

    /// <summary>Never null ("" when unknown) so the alphabetical keyset order needs no NULL handling.</summary>
    public required string Name { get; set; }

    public string? BusinessName { get; set; }

    public List<string> Tags { get; set; } = [];

    public DateTimeOffset? BlockedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<ContactPhone> Phones { get; set; } = [];

    /// <summary>Values of the account's contact schema fields, jsonb keyed by field id (see <c>CustomValues</c>).</summary>
    public string CustomValues { get; set; } = Features.CustomFields.CustomValues.None;

    /// <summary>PostgreSQL's xmin: changes with every write of the row (each one sets <see cref="UpdatedAt"/>).</summary>
    public uint Version { get; set; }
}

public sealed class ContactPhone
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public long ContactId { get; set; }

    public Contact? Contact { get; set; }

    /// <summary>Copied from the contact so account-wide phone queries need no join.</summary>
    public long AccountId { get; set; }

    /// <summary>E.164.</summary>
    public required string PhoneNumber { get; set; }

    public string? Extension { get; set; }

    /// <summary>Free label such as Mobile, Work, Home.</summary>
    public required string Type { get; set; }

    /// <summary>Display order within the contact.</summary>
    public int Position { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class ContactNote
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public long ContactId { get; set; }

    public Contact? Contact { get; set; }

    public long UserId { get; set; }

    public User? User { get; set; }

    public required string Content { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
