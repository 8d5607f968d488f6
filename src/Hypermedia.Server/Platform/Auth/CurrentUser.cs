using System.Globalization;
using System.Security.Claims;

namespace Hypermedia.Server.Platform.Auth;

/// <summary>Who is calling, as the token handler put it in the principal.</summary>
public static class CurrentUser
{
    public const string UserIdClaim = "hm:user";
    public const string UserSlugClaim = "hm:user_slug";
    public const string TokenClaim = "hm:token";
    public const string StaffRole = "staff";
    public const string StaffPolicy = "staff";

    public static long UserId(this ClaimsPrincipal principal) =>
        long.Parse(principal.FindFirstValue(UserIdClaim) ?? throw new InvalidOperationException("Not authenticated."),
            CultureInfo.InvariantCulture);

    public static string UserSlug(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(UserSlugClaim) ?? throw new InvalidOperationException("Not authenticated.");

    public static string? TokenId(this ClaimsPrincipal principal) => principal.FindFirstValue(TokenClaim);

    public static bool IsStaff(this ClaimsPrincipal principal) => principal.IsInRole(StaffRole);
}
