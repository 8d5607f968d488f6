using System.Text.Json;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.ContactFilters;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.OptOuts;
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

    public required string Users { get; init; }

    public required string Contacts { get; init; }

    public required string ContactPhones { get; init; }

    public required string ContactFilters { get; init; }

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
