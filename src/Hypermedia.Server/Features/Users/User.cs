using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Staff;

namespace Hypermedia.Server.Features.Users;

public sealed class User
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public required string Name { get; set; }

    /// <summary>Stored lower-case; unique.</summary>
    public required string Email { get; set; }

    /// <summary>Server-level support role (watches jobs; an operator also has staff powers); separate from account roles. Null: not staff.</summary>
    public StaffLevel? StaffLevel { get; set; }

    /// <summary>Discarded users are kept for history but cannot authenticate.</summary>
    public DateTimeOffset? DiscardedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<Membership> Memberships { get; set; } = [];

    /// <summary>Values of user schema fields (of any of the user's accounts), jsonb keyed by field id (see <c>CustomValues</c>).</summary>
    public string CustomValues { get; set; } = Features.CustomFields.CustomValues.None;

    /// <summary>Whether the user's signature is appended to the bodies they send (<c>settings.appendSignature</c>).</summary>
    public bool AppendSignature { get; set; }
}

public sealed class Membership
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public long UserId { get; set; }

    public User? User { get; set; }

    public long AccountId { get; set; }

    public Account? Account { get; set; }

    public required string Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Support = "support";
    public const string User = "user";

    public static readonly string[] All = [Admin, Support, User];
}
