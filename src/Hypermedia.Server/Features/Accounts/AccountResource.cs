using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.WhatsApp;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Accounts;

/// <summary>An Account as clients see it: its data and the links to everything scoped to it.</summary>
[HydraClass("Account", "A messaging account: the tenant that owns contacts, conversations and phone numbers. Accounts form a tree.")]
public sealed class AccountResource() : Resource("Account")
{
    [Description("Human-readable identifier used in account-scoped IRIs")]
    public required string Slug { get; init; }

    [Description("Display name")]
    public required string Name { get; init; }

    [Description("E.164 numbers the account sends from")]
    public required IReadOnlyList<string> PhoneNumbers { get; init; }

    [Description("True while the account may not send messages (not 10DLC registered)")]
    public required bool MessagingRestricted { get; init; }

    [Description("The parent account, or null for a top-level account")]
    public required string? Parent { get; init; }

    [Description("Your role in this account: admin, support or user")]
    public required string EffectiveRole { get; init; }

    [Description("Account settings (a JSON object); PATCH merges keys, null removes one; whatsApp is {enabled, phoneNumber}")]
    public required JsonElement Settings { get; init; }

    [Description("When the account was created")]
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
        MessagingRestricted = account.MessagingRestricted,
        Parent = parentSlug is null ? null : iris.For(AccountsApi.AccountRoute, new { account = parentSlug }),
        EffectiveRole = role,
        Settings = SettingsOf(account),
        CreatedAt = account.CreatedAt,
        Links = links.ForAccount(account.Slug),
    };

    /// <summary>The free-form settings with the typed ones (whatsApp) that live in the account's own columns.</summary>
    private static JsonElement SettingsOf(Account account)
    {
        var settings = JsonNode.Parse(account.Settings)!.AsObject();
        settings[WhatsAppSettings.Key] = WhatsAppSettings.Show(account);
        return JsonSerializer.SerializeToElement(settings);
    }
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
