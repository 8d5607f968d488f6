using System.ComponentModel;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.OptOuts;

[HydraClass("Opt-out", "A number that asked not to be texted by this account.")]
public sealed class OptOutResource() : Resource("OptOut")
{
    [Description("E.164 number")]
    public required string PhoneNumber { get; init; }

    [Description("The number formatted for people")]
    public required string FormattedPhoneNumber { get; init; }

    [Description("When the current opt-out began")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("How it was recorded: User (through the API) or Keyword")]
    public required string CreatedVia { get; init; }

    [Description("The account the opt-out applies to")]
    public required AccountReference OriginatingAccount { get; init; }

    [Description("Who recorded it, or null")]
    public required string? User { get; init; }

    [Description("Every opt-out and opt-in of the number")]
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
[HydraClass("Consent change", "One opt-out or opt-in, kept forever.")]
public sealed class OptOutEventResource() : Resource("OptOutEvent")
{
    [Description("E.164 number")]
    public required string PhoneNumber { get; init; }

    [Description("opt_out or opt_in")]
    public required string Action { get; init; }

    [Description("How: User (through the API) or Keyword")]
    public required string Via { get; init; }

    [Description("Who made the change, or null")]
    public required string? User { get; init; }

    [Description("When")]
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
