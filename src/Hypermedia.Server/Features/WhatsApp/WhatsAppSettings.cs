using System.Text.Json;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Phones;

namespace Hypermedia.Server.Features.WhatsApp;

/// <summary>An account's WhatsApp: whether it may send over WhatsApp, and the number it sends from and receives on.</summary>
public sealed record WhatsAppSetting(bool Enabled, string? PhoneNumber)
{
    public static readonly WhatsAppSetting None = new(false, null);
}

/// <summary>
/// <c>settings.whatsApp</c> on the Account: <c>{"enabled": bool, "phoneNumber": E.164 or null}</c>. Unlike the
/// free-form settings it is typed and kept in the account's own columns (an inbound WhatsApp message finds its
/// account by the number, through a unique index), but it is read and written like any settings key: a PATCH
/// value replaces the old one whole, and null removes it (disabled, no number).
/// </summary>
public static class WhatsAppSettings
{
    public const string Key = "whatsApp";
    private const string Field = "settings." + Key;

    /// <summary>The unique index on accounts' WhatsApp numbers: two accounts cannot receive on one.</summary>
    public const string PhoneNumberIndex = "ix_accounts_whats_app_phone_number";

    /// <summary>The setting a PATCH asks for; null (with the broken rules in <paramref name="validator"/>) when it breaks one.</summary>
    public static WhatsAppSetting? Read(Validator validator, JsonNode? value)
    {
        if (value is null)
        {
            return WhatsAppSetting.None;
        }

        if (value is not JsonObject setting)
        {
            validator.Add(Field, "must be an object {enabled, phoneNumber}, or null to remove it");
            return null;
        }

        bool? enabled = null;
        string? number = null;
        var valid = true;
        foreach (var (name, item) in setting)
        {
            switch (name)
            {
                case "enabled" when item?.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                    enabled = item.GetValue<bool>();
                    break;
                case "enabled":
                    validator.Add(Field + ".enabled", "must be true or false");
                    valid = false;
                    break;
                case "phoneNumber" or "phone_number" when item is null:
                    break;
                case "phoneNumber" or "phone_number" when item.GetValueKind() == JsonValueKind.String:
                    number = Number(validator, item.GetValue<string>(), ref valid);
                    break;
                case "phoneNumber" or "phone_number":
                    validator.Add(Field + ".phoneNumber", "must be a phone number in a string, or null");
                    valid = false;
                    break;
                default:
                    validator.Add($"{Field}.{name}", "is not a WhatsApp setting; they are enabled and phoneNumber");
                    valid = false;
                    break;
            }
        }

        if (valid && enabled is null)
        {
            validator.Add(Field + ".enabled", "is required: true or false");
            valid = false;
        }

        if (valid && enabled == true && number is null)
        {
            validator.Add(Field + ".phoneNumber", "is required while enabled is true: the number the account sends WhatsApp messages from");
            valid = false;
        }

        return valid ? new WhatsAppSetting(enabled!.Value, number) : null;
    }

    private static string? Number(Validator validator, string text, ref bool valid)
    {
        if (!PhoneNumber.TryParse(text, out var number, out var error))
        {
            validator.Add(Field + ".phoneNumber", error);
            valid = false;
            return null;
        }

        if (number.Extension is not null)
        {
            validator.Add(Field + ".phoneNumber", "must not have an extension: WhatsApp numbers have none");
            valid = false;
            return null;
        }

        return number.E164;
    }

    /// <summary>
    /// The number a WhatsApp message goes out from: the account's WhatsApp number, which <paramref name="from"/>
    /// (when given) must be. An account without WhatsApp enabled sends none (a 422 on <c>channel</c>).
    /// </summary>
    public static string? SendingNumber(Validator validator, Account account, string? from)
    {
        if (!account.WhatsAppEnabled || account.WhatsAppPhoneNumber is null)
        {
            validator.Add("channel", $"whatsapp is not enabled on this account: an admin turns it on with {Field} {{enabled, phoneNumber}}");
            return null;
        }

        if (from is null)
        {
            return account.WhatsAppPhoneNumber;
        }

        if (!PhoneNumber.TryParse(from, out var number, out var error))
        {
            validator.Add("from", error);
            return null;
        }

        if (number.E164 != account.WhatsAppPhoneNumber)
        {
            validator.Add("from", $"{number.E164} is not this account's WhatsApp number; WhatsApp messages go out from {account.WhatsAppPhoneNumber}");
            return null;
        }

        return number.E164;
    }

    public static WhatsAppSetting Of(Account account) => new(account.WhatsAppEnabled, account.WhatsAppPhoneNumber);

    /// <summary>How the Account shows it, inside <c>settings</c>.</summary>
    public static JsonObject Show(Account account) => new()
    {
        ["enabled"] = account.WhatsAppEnabled,
        ["phoneNumber"] = account.WhatsAppPhoneNumber,
    };

    public static ApiException NumberTaken(string number) =>
        ApiException.Conflict($"{number} is already the WhatsApp number of another account.");
}
