using System.Text.Json.Serialization;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Http;

namespace Hypermedia.Server.Features.ApiTokens;

public sealed class ApiTokenResource() : Resource("ApiToken")
{
    public required string Description { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset? LastUsedAt { get; init; }

    public required string User { get; init; }

    /// <summary>The secret token: present only in the response that created it, never again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; init; }

    public static ApiTokenResource From(ApiToken token, string userSlug, Iris iris, string? secretToken = null) => new()
    {
        Id = iris.For(ApiTokensApi.ApiTokenRoute, new { id = token.Slug }),
        Description = token.Description,
        CreatedAt = token.CreatedAt,
        LastUsedAt = token.LastUsedAt,
        User = iris.For(UsersApi.UserRoute, new { id = userSlug }),
        Token = secretToken,
    };
}
