using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Phones;

namespace Hypermedia.Server.Features.CustomFields;

/// <summary>The types of R16 and what a value of each must look like.</summary>
public static partial class CustomFieldTypes
{
    public const string Date = "date";
    public const string Email = "email";
    public const string Number = "number";
    public const string Telephone = "telephone";
    public const string Text = "text";
    public const string Time = "time";
    public const string Url = "url";
    public const string CalendarDay = "calendar_day";

    public static readonly string[] All = [Date, Email, Number, Telephone, Text, Time, Url, CalendarDay];

    public const int MaxText = 70;
    public const int MaxEmail = 254;
    public const int MaxUrl = 2048;

    /// <summary>
    /// Reads a value sent for a field of <paramref name="type"/>; returns what is stored (a string, or for
    /// numbers a number), or null with what it must be in <paramref name="error"/> ("a date written YYYY-MM-DD"). Text is trimmed,
    /// telephone numbers are stored in E.164.
    /// </summary>
    public static JsonNode? Read(string type, JsonNode value, out string? error)
    {
        error = null;
        if (type == Number)
        {
            return ReadNumber(value, out error);
        }

        if (value.GetValueKind() != JsonValueKind.String)
        {
            error = $"a string: {Rule(type)}";
            return null;
        }

        var text = value.GetValue<string>().Trim();
        string? stored = type switch
        {
            Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? text : null,
            Email => text.Length <= MaxEmail && EmailPattern().IsMatch(text) ? text : null,
            Telephone => PhoneNumber.TryParse(text, out var number, out _) && number.Extension is null ? number.E164 : null,
            Text => text.Length is >= 1 and <= MaxText ? text : null,
            Time => LocalTimePattern().IsMatch(text) && TimeOnly.TryParse(text, CultureInfo.InvariantCulture, out _) ? text : null,
            Url => text.Length <= MaxUrl && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                && uri.Host.Length > 0 && !text.Any(char.IsWhiteSpace) ? text : null,
            CalendarDay => CalendarDayPattern().Match(text) is { Success: true } day && IsDayOfYear(day) ? text : null,
            _ => null,
        };
        if (stored is null)
        {
            error = Rule(type);
        }

        return stored is null ? null : JsonValue.Create(stored);
    }

    /// <summary>The rule a value of the type follows, as a 422 says it.</summary>
    public static string Rule(string type) => type switch
    {
        Date => "a date written YYYY-MM-DD, such as 2024-07-04",
        Email => "an email address with a local part and a domain, such as name@example.com",
        Number => "an integer or a decimal fraction, such as 42 or -1.5 (at most 28 digits)",
        Telephone => "a phone number (stored in E.164, such as +13035551234), without an extension",
        Text => $"text of 1 to {MaxText} characters",
        Time => "a local time in ISO 8601 without an offset, written HH:MM or HH:MM:SS, such as 09:30",
        Url => "an http or https URL with a host, such as https://example.com/page",
        CalendarDay => "a day of the year written --MM-DD, such as --07-04",
        _ => "a value of the field's type",
    };

    /// <summary>The text a stored value renders as (personalization): strings as they are, numbers in invariant form.</summary>
    public static string? Display(JsonNode? stored) => stored?.GetValueKind() switch
    {
        JsonValueKind.String => stored.GetValue<string>(),
        JsonValueKind.Number => stored.ToJsonString(),
        _ => null,
    };

    private static JsonNode? ReadNumber(JsonNode value, out string? error)
    {
        error = null;
        var kind = value.GetValueKind();
        var text = kind switch
        {
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.String => value.GetValue<string>().Trim(),
            _ => null,
        };
        if (text is not null && text.Length <= 40 && NumberPattern().IsMatch(text)
            && decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        error = kind is JsonValueKind.Number or JsonValueKind.String ? Rule(Number) : $"a number: {Rule(Number)}";
        return null;
    }

    private static bool IsDayOfYear(Match day)
    {
        var month = int.Parse(day.Groups["month"].Value, CultureInfo.InvariantCulture);
        var dayOfMonth = int.Parse(day.Groups["day"].Value, CultureInfo.InvariantCulture);
        // 2000 is a leap year: --02-29 is a day of the year.
        return month is >= 1 and <= 12 && dayOfMonth >= 1 && dayOfMonth <= DateTime.DaysInMonth(2000, month);
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,7})?)?$")]
    private static partial Regex LocalTimePattern();

    [GeneratedRegex(@"^--(?<month>\d{2})-(?<day>\d{2})$")]
    private static partial Regex CalendarDayPattern();

    [GeneratedRegex(@"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")]
    private static partial Regex NumberPattern();
}

/// <summary>Rules of a field's own attributes.</summary>
public static partial class CustomFieldRules
{
    public const int MaxTitle = 70;
    public const int MaxSlug = 63;
    public const int MaxDescription = 1000;

    /// <summary>Fields per schema: each is a personalization variable and travels with every contact or user document.</summary>
    public const int MaxFields = 100;

    /// <summary>
    /// Slugs that would shadow a built-in variable (<c>{{contact.name}}</c>) in any spelling, or the
    /// <c>fields</c> collection under the schema's IRI.
    /// </summary>
    private static readonly string[] Reserved = ["name", "firstname", "lastname", "first_name", "last_name", "first-name", "last-name", "fields"];

    public const string SlugShape = "1 to 63 lower-case letters, digits, '_' or '-', starting with a letter and not ending with '-'";

    /// <summary>Checks a slug sent by the client, or derives one from the title; null when neither gives one.</summary>
    public static string? Slug(Validator validator, string? slug, string? title)
    {
        if (slug is not null)
        {
            if (!SlugPattern().IsMatch(slug))
            {
                validator.Add("slug", $"must be {SlugShape}");
                return null;
            }

            if (Reserved.Contains(slug))
            {
                validator.Add("slug", $"'{slug}' is reserved: it would hide a built-in variable or route");
                return null;
            }

            return slug;
        }

        if (string.IsNullOrWhiteSpace(title))
        {
            return null;
        }

        var derived = Derive(title);
        if (derived is null)
        {
            validator.Add("slug", $"cannot be derived from the title; send a slug of {SlugShape}");
        }
        else if (Reserved.Contains(derived))
        {
            validator.Add("slug", $"'{derived}' (derived from the title) is reserved: it would hide a built-in variable or route; send another slug");
            return null;
        }

        return derived;
    }

    /// <summary>"Calendar Link" → "calendar-link"; letters lose their accents; anything else becomes '-'.</summary>
    public static string? Derive(string title)
    {
        var builder = new StringBuilder();
        foreach (var c in title.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c == '_')
            {
                builder.Append('_');
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-', '_');
        while (slug.Length > 0 && !char.IsAsciiLetterLower(slug[0]))
        {
            slug = slug[1..];
        }

        slug = slug.Length > MaxSlug ? slug[..MaxSlug].TrimEnd('-') : slug;
        return SlugPattern().IsMatch(slug) ? slug : null;
    }

    public static string? Type(Validator validator, string? type, bool required)
    {
        if (type is null)
        {
            if (required)
            {
                validator.Add("type", $"is required: one of {string.Join(", ", CustomFieldTypes.All)}");
            }

            return null;
        }

        if (!CustomFieldTypes.All.Contains(type))
        {
            validator.Add("type", $"must be one of {string.Join(", ", CustomFieldTypes.All)}");
            return null;
        }

        return type;
    }

    [GeneratedRegex("^[a-z](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")]
    private static partial Regex SlugPattern();
}
