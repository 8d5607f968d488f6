using System.Globalization;
using System.Security.Claims;
using Hypermedia.Server.Features.Staff;

namespace Hypermedia.Server.Platform.Auth;

/// <summary>Who is calling, as the token handler put it in the principal.</summary>
public static class CurrentUser
{
    public const string UserIdClaim = "hm:user";
    public const string UserSlugClaim = "hm:user_slug";
    public const string TokenClaim = "hm:token";
    public const string StaffLevelClaim = "hm:staff_level";

    /// <summary>The role of staff powers in the API: a staff operator's.</summary>
    public const string StaffRole = "staff";
    public const string StaffPolicy = "staff";

    /// <summary>The principal of a token's user, however the token was presented (header or dashboard cookie).</summary>
    public static ClaimsPrincipal Principal(long userId, string userSlug, string tokenId, StaffLevel? staffLevel, string scheme)
    {
        var claims = new List<Claim>
        {
            new(UserIdClaim, userId.ToString(CultureInfo.InvariantCulture)),
            new(UserSlugClaim, userSlug),
            new(TokenClaim, tokenId),
        };
        if (staffLevel is { } level)
        {
            claims.Add(new Claim(StaffLevelClaim, level.Name()));
        }

        if (staffLevel == Features.Staff.StaffLevel.Operator)
        {
            claims.Add(new Claim(ClaimTypes.Role, StaffRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static long UserId(this ClaimsPrincipal principal) =>
        long.Parse(principal.FindFirstValue(UserIdClaim) ?? throw new InvalidOperationException("Not authenticated."),
            CultureInfo.InvariantCulture);

    public static string UserSlug(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(UserSlugClaim) ?? throw new InvalidOperationException("Not authenticated.");

    public static string? TokenId(this ClaimsPrincipal principal) => principal.FindFirstValue(TokenClaim);

    /// <summary>Whether the caller has staff powers in the API (a staff operator).</summary>
    public static bool IsStaff(this ClaimsPrincipal principal) => principal.IsInRole(StaffRole);

    public static StaffLevel? StaffLevelOf(this ClaimsPrincipal principal) => StaffLevels.Parse(principal.FindFirstValue(StaffLevelClaim));
}
