using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Users;

/// <summary>A membership as clients send it: <c>{"account": "/accounts/acme", "role": "admin"}</c>.</summary>
[Writes<MembershipResource>]
public sealed record MembershipRequest([property: RequiredToCreate] string? Account, [property: RequiredToCreate] string? Role);

[Writes<UserResource>]
public sealed record CreateUserRequest([property: RequiredToCreate] string? Name, [property: RequiredToCreate] string? Email, List<MembershipRequest>? Memberships);

/// <summary>PUT /users/{id}: omitted fields stay as they are; listed memberships are added or have their role changed.</summary>
[Writes<UserResource>]
public sealed record UpdateUserRequest(string? Name, string? Email, bool? Discarded, List<MembershipRequest>? Memberships, UserSettingsRequest? Settings);

/// <summary>
/// <c>settings.customSettings</c>: values of user schema fields keyed by the field's IRI
/// (<c>"/acme/user_schema/calendar": "https://…"</c>); a key set to null removes the value, keys not sent stay.
/// <c>settings.appendSignature</c>: whether the user's signature is appended to the bodies they send.
/// </summary>
public sealed record UserSettingsRequest(JsonObject? CustomSettings, bool? AppendSignature);

public static partial class UserRules
{
    public const int MaxName = 200;
    public const int MaxEmail = 254;
    public const int MaxMemberships = 100;

    /// <summary>
    /// What a malformed address and another user's address both answer, so the answer does not tell
    /// which emails have an account here.
    /// </summary>
    public const string EmailUnusable = "cannot be used: it is not a valid email address, or it is not available";

    /// <summary>Checks an email's shape; returns it lower-cased (emails are unique case-insensitively).</summary>
    public static string? Email(Validator validator, string? email, bool required)
    {
        var trimmed = validator.Text("email", email, MaxEmail, required);
        if (trimmed is not null && !EmailPattern().IsMatch(trimmed))
        {
            validator.Add("email", EmailUnusable);
        }

        return trimmed?.ToLowerInvariant();
    }

    public static void Role(Validator validator, string field, string? role)
    {
        if (role is null || !Roles.All.Contains(role))
        {
            validator.Add(field, $"must be one of {string.Join(", ", Roles.All)}");
        }
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
