using Hypermedia.Server.Features.Users;

namespace Hypermedia.Server.Features.Invitations;

/// <summary>
/// A one-time way in for a user with no API token: whoever holds its IRI may claim the user's first
/// token, once, before it expires. Like a token, only its id and a hash of its secret are stored.
/// </summary>
public sealed class Invitation
{
    public long Id { get; set; }

    /// <summary>The public part of the invitation key, which finds the row.</summary>
    public required string Slug { get; set; }

    public long UserId { get; set; }

    public User? User { get; set; }

    /// <summary>The admin (or staff member) who issued it, for the audit trail.</summary>
    public long? IssuedById { get; set; }

    public required byte[] SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Set by the one claim that succeeds; a spent invitation never works again.</summary>
    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>The token the claim issued.</summary>
    public long? ApiTokenId { get; set; }

    /// <summary>Set when a newer invitation replaces it or the user is discarded.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
