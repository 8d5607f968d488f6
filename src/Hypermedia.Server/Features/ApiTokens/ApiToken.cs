using Hypermedia.Server.Features.Users;

namespace Hypermedia.Server.Features.ApiTokens;

/// <summary>A bearer token's record. The token itself is never stored: only its id and a hash of its secret.</summary>
public sealed class ApiToken
{
    public long Id { get; set; }

    /// <summary>The public part of the token, also its IRI slug.</summary>
    public required string Slug { get; set; }

    public long UserId { get; set; }

    public User? User { get; set; }

    public required string Description { get; set; }

    public required byte[] SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Revoked tokens stop working at once; the row stays as an audit record.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
