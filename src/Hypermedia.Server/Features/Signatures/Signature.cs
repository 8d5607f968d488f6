using Hypermedia.Server.Features.Users;

namespace Hypermedia.Server.Features.Signatures;

/// <summary>
/// A user's signature (TextUs §2.2): text appended to the bodies the user sends while their
/// <c>settings.appendSignature</c> is on. One per user (a unique index).
/// </summary>
public sealed class Signature
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public User? User { get; set; }

    public required string Content { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c>: the ETag's version.</summary>
    public uint Version { get; set; }
}

public static class SignatureRules
{
    public const int MaxContent = 255;

    /// <summary>What goes between a body and the signature appended to it.</summary>
    public const string Separator = "\n";
}
