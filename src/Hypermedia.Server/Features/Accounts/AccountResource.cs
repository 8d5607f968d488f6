using System.ComponentModel;
using System.Text.Json;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.ContactFilters;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.OptOuts;
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

    [Description("The parent account, or null for a top-level account")]
    public required string? Parent { get; init; }

    [Description("Your role in this account: admin, support or user")]
    public required string EffectiveRole { get; init; }

    [Description("Account settings (a JSON object); PATCH merges keys, null removes one")]
    public required JsonElement Settings { get; init; }

    [Description("When the account was created")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("Users that are members of this account")]
    public required string Users { get; init; }

    [Description("The account's contacts")]
    public required string Contacts { get; init; }

    [Description("The phones of the account's contacts")]
    public required string ContactPhones { get; init; }

    [Description("Pre-made contact searches")]
    public required string ContactFilters { get; init; }

    [Description("Numbers opted out of texts from this account")]
    public required string OptOuts { get; init; }

    public static AccountResource From(Account account, string? parentSlug, string role, Iris iris) => new()
    {
        Id = iris.For(AccountsApi.AccountRoute, new { slug = account.Slug }),
        Slug = account.Slug,
        Name = account.Name,
        PhoneNumbers = account.PhoneNumbers,
        Parent = parentSlug is null ? null : iris.For(AccountsApi.AccountRoute, new { slug = parentSlug }),
        EffectiveRole = role,
        Settings = JsonDocument.Parse(account.Settings).RootElement.Clone(),
        CreatedAt = account.CreatedAt,
        Users = iris.For(AccountsApi.AccountUsersRoute, new { account = account.Slug }),
        Contacts = iris.For(ContactsApi.AccountContactsRoute, new { account = account.Slug }),
        ContactPhones = iris.For(ContactsApi.AccountContactPhonesRoute, new { account = account.Slug }),
        ContactFilters = iris.For(ContactFiltersApi.AccountContactFiltersRoute, new { account = account.Slug }),
        OptOuts = iris.For(OptOutsApi.AccountOptOutsRoute, new { account = account.Slug }),
    };
}

/// <summary>The small form of an Account embedded in other resources (a membership's account).</summary>
public sealed class AccountReference() : Resource("Account")
{
    public required string Name { get; init; }

    public static AccountReference From(Account account, Iris iris) => new()
    {
        Id = iris.For(AccountsApi.AccountRoute, new { slug = account.Slug }),
        Name = account.Name,
    };
}
