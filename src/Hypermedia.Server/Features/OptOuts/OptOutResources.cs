using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Http;

namespace Hypermedia.Server.Features.OptOuts;

public sealed class OptOutResource() : Resource("OptOut")
{
    public required string PhoneNumber { get; init; }

    public required string FormattedPhoneNumber { get; init; }

    /// <summary>When the current opt-out began.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    public required string CreatedVia { get; init; }

    public required AccountReference OriginatingAccount { get; init; }

    /// <summary>The user who recorded it, or null (a keyword from the contact).</summary>
    public required string? User { get; init; }

    /// <summary>Every opt-out and opt-in of this number in this account.</summary>
    public required string History { get; init; }

    /// <summary><paramref name="optOut"/> must have its user loaded.</summary>
    public static OptOutResource From(OptOut optOut, Account account, Iris iris) => new()
    {
        Id = iris.For(OptOutsApi.OptOutRoute, new { account = account.Slug, phone = optOut.PhoneNumber }),
        PhoneNumber = optOut.PhoneNumber,
        FormattedPhoneNumber = Platform.Phones.PhoneNumber.FromE164(optOut.PhoneNumber).Formatted,
        CreatedAt = optOut.OptedOutAt,
        CreatedVia = optOut.CreatedVia,
        OriginatingAccount = AccountReference.From(account, iris),
        User = optOut.User is null ? null : iris.For(UsersApi.UserRoute, new { id = optOut.User.Slug }),
        History = iris.For(OptOutsApi.OptOutHistoryRoute, new { account = account.Slug, phone = optOut.PhoneNumber }),
    };
}

/// <summary>One consent change. Its IRI is a fragment of the history it belongs to.</summary>
public sealed class OptOutEventResource() : Resource("OptOutEvent")
{
    public required string PhoneNumber { get; init; }

    /// <summary>"opt_out" or "opt_in".</summary>
    public required string Action { get; init; }

    public required string Via { get; init; }

    public required string? User { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public static OptOutEventResource From(OptOutEvent consentEvent, string accountSlug, Iris iris) => new()
    {
        Id = iris.For(OptOutsApi.OptOutHistoryRoute, new { account = accountSlug, phone = consentEvent.PhoneNumber })
            + "#event-" + consentEvent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        PhoneNumber = consentEvent.PhoneNumber,
        Action = consentEvent.Action,
        Via = consentEvent.Via,
        User = consentEvent.User is null ? null : iris.For(UsersApi.UserRoute, new { id = consentEvent.User.Slug }),
        OccurredAt = consentEvent.OccurredAt,
    };
}
