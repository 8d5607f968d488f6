using Hypermedia.Server.Features.Users;

namespace Hypermedia.Server.Features.OptOuts;

/// <summary>
/// A number's consent state in one account. The row is the current state; <see cref="OptOutEvent"/>
/// keeps every opt-out and opt-in, so nothing about consent is ever lost.
/// </summary>
public sealed class OptOut
{
    public long Id { get; set; }

    public long AccountId { get; set; }

    /// <summary>E.164.</summary>
    public required string PhoneNumber { get; set; }

    /// <summary>True while the number is opted out; false after it opted back in.</summary>
    public bool Active { get; set; }

    /// <summary>When the current opt-out began.</summary>
    public DateTimeOffset OptedOutAt { get; set; }

    /// <summary>How the current opt-out was made: api, keyword, import.</summary>
    public required string CreatedVia { get; set; }

    public long? UserId { get; set; }

    public User? User { get; set; }
}

public sealed class OptOutEvent
{
    public long Id { get; set; }

    public long AccountId { get; set; }

    public required string PhoneNumber { get; set; }

    /// <summary>"opt_out" or "opt_in".</summary>
    public required string Action { get; set; }

    public required string Via { get; set; }

    public long? UserId { get; set; }

    public User? User { get; set; }

    public DateTimeOffset OccurredAt { get; set; }
}
