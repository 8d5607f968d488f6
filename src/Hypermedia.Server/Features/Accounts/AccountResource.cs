using System.Text.Json;
using System.Text.Json.Serialization;
using Hypermedia.JsonLd;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Http;

namespace Hypermedia.Server.Features.Accounts;

/// <summary>An Account as clients see it: its data and the links to everything scoped to it.</summary>
public sealed class AccountResource() : Resource("Account")
{
    public required string Slug { get; init; }

    public required string Name { get; init; }

    public required IReadOnlyList<string> PhoneNumbers { get; init; }

    public required string? Parent { get; init; }

    public required string EffectiveRole { get; init; }

    public required JsonElement Settings { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Links to everything scoped to the account, as the areas registered them (users, contacts, …).</summary>
    [JsonExtensionData]
    public Dictionary<string, object?> Links { get; init; } = [];

    public static AccountResource From(Account account, string? parentSlug, string role, Iris iris, ResourceLinks links) => new()
    {
        Id = iris.For(AccountsApi.AccountRoute, new { account = account.Slug }),
        Slug = account.Slug,
        Name = account.Name,
        PhoneNumbers = account.PhoneNumbers,
        Parent = parentSlug is null ? null : iris.For(AccountsApi.AccountRoute, new { account = parentSlug }),
        EffectiveRole = role,
        Settings = JsonDocument.Parse(account.Settings).RootElement.Clone(),
        CreatedAt = account.CreatedAt,
        Links = links.ForAccount(account.Slug),
    };
}

/// <summary>The small form of an Account embedded in other resources (a membership's account).</summary>
public sealed class AccountReference() : Resource("Account")
{
    public required string Name { get; init; }

    public static AccountReference From(Account account, Iris iris) => new()
    {
        Id = iris.For(AccountsApi.AccountRoute, new { account = account.Slug }),
        Name = account.Name,
    };
}
