using System.ComponentModel;
using System.Text.Json.Serialization;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.ApiTokens;

[HydraClass("API token", "A bearer token for one user. The secret is shown once, at creation; the server keeps only its hash.")]
public sealed class ApiTokenResource() : Resource("ApiToken")
{
    [Description("What the token is for")]
    public required string Description { get; init; }

    [Description("When the token was created")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("When the token last authenticated a request (to the minute)")]
    public required DateTimeOffset? LastUsedAt { get; init; }

    [Description("The user the token acts as")]
    public required string User { get; init; }

    [Description("The secret; only in the response to POST")]
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
