using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using PhoneNumbers;
using LibPhoneNumber = PhoneNumbers.PhoneNumber;

namespace Hypermedia.Server.Platform.Phones;

/// <summary>
/// A phone number read by libphonenumber: E.164 (<c>+13035551234</c>), an optional extension of
/// digits, and whether the number is valid for its region. Without a '+' (or an international
/// prefix 00 / 011) a number is read as from the US, the callers' home plan.
/// </summary>
/// <remarks>
/// Parsing lives here as <see cref="TryParse"/> rather than in a static <c>PhoneNumbers</c> class,
/// because that name is libphonenumber's root namespace and would hide it in every caller.
/// </remarks>
public sealed class PhoneNumber
{
    /// <summary>Longer input is refused before it is scanned; a real number with extension and scheme fits easily.</summary>
    public const int MaxInputLength = 64;

    /// <summary>The width of the stored extension column.</summary>
    public const int MaxExtensionDigits = 10;

    private const string DefaultRegion = "US";

    /// <summary>Error messages quote at most this much of the input, so a hostile megabyte never reaches logs or responses.</summary>
    private const int MaxQuotedLength = 80;

    private const string LettersReason =
        "it contains letters outside an extension marker (x, ext. or #), and vanity numbers such as 1-800-FLOWERS must be given as digits";

    private const string CharactersReason =
        "it may only contain digits, a leading '+', spaces, dashes, dots, slashes and parentheses, then an extension such as 'x2921'";

    // libphonenumber knows more markers (anexo, int, ~ …); these are the ones we document and accept.
    private static readonly string[] ExtensionMarkers = [";ext=", "extension", "ext.", "ext", "x", "#"];

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private PhoneNumber(string e164, string? extension, string? scheme, bool isNanp, bool isValid, string formatted)
    {
        E164 = e164;
        Extension = extension;
        Scheme = scheme;
        IsNanp = isNanp;
        IsValid = isValid;
        Formatted = formatted;
    }

    public string E164 { get; }

    /// <summary>Extension digits (ASCII), or null.</summary>
    public string? Extension { get; }

    /// <summary>"tel" or "whatsapp" when the input was such a URI, so replies can go back over the same channel; otherwise null.</summary>
    public string? Scheme { get; }

    /// <summary>True for country code 1, the North American Numbering Plan.</summary>
    public bool IsNanp { get; }

    /// <summary>
    /// Whether the number is assigned in its region's numbering plan (libphonenumber's IsValidNumber).
    /// Every parsed number is at least possible (a plausible length); sending needs a valid one.
    /// </summary>
    public bool IsValid { get; }

    /// <summary>The E.164 digits without the '+', e.g. "13035551234".</summary>
    public string Digits => E164[1..];

    /// <summary>
    /// For display, without the extension. North American numbers read "(303) 555-1234"
    /// (national format); others "+44 20 7946 0958" (international format, grouped as their plan
    /// groups them; a number that is not valid stays ungrouped after its country code).
    /// </summary>
    public string Formatted { get; }

    /// <summary>A number as stored, in E.164. A value that no longer parses is shown as it is and counts as not valid.</summary>
    public static PhoneNumber FromE164(string e164)
    {
        try
        {
            return From(Util.Parse(e164, DefaultRegion), null, null);
        }
        catch (NumberParseException)
        {
            return new PhoneNumber(e164, null, null, e164.StartsWith("+1", StringComparison.Ordinal), isValid: false, e164);
        }
    }

    /// <summary><paramref name="number"/>'s own extension is ignored: <paramref name="extension"/> is the one kept, in ASCII digits.</summary>
    private static PhoneNumber From(LibPhoneNumber number, string? extension, string? scheme)
    {
        var plain = number.HasExtension ? number.ToBuilder().ClearExtension().Build() : number;
        var isNanp = plain.CountryCode == 1;
        return new PhoneNumber(
            Util.Format(plain, PhoneNumberFormat.E164),
            extension,
            scheme,
            isNanp,
            Util.IsValidNumber(plain),
            Util.Format(plain, isNanp ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL));
    }

    /// <summary>
    /// Accepts any possible number (valid or not, see <see cref="IsValid"/>). Never throws. On
    /// failure <paramref name="error"/> is one sentence for an API client that quotes the input.
    /// </summary>
    public static bool TryParse(
        string? input,
        [NotNullWhen(true)] out PhoneNumber? number,
        [NotNullWhen(false)] out string? error)
    {
        if (input is null)
        {
            number = null;
            error = "A phone number is required.";
            return false;
        }

        var reason = Read(input, out number);
        error = reason is null ? null : $"'{Quote(input)}' is not a valid phone number: {reason}.";
        return reason is null;
    }

    /// <summary>Returns why the input is not a phone number, or null and the number.</summary>
    private static string? Read(string input, out PhoneNumber? number)
    {
        number = null;
        if (input.Length > MaxInputLength)
        {
            return $"it is longer than {MaxInputLength} characters";
        }

        if (input.Any(char.IsControl))
        {
            return "it contains a control character";
        }

        var text = input.Trim(' ');
        if (text.Length == 0)
        {
            return "it is empty";
        }

        var schemeReason = StripScheme(ref text, out var scheme);
        if (schemeReason is not null)
        {
            return schemeReason;
        }

        if (!text.Any(char.IsDigit))
        {
            return "it contains no digits";
        }

        // libphonenumber skips text before and after a number and spells out vanity letters; a part
        // of the input silently ignored or reinterpreted is more likely a mistake than noise.
        if (!(text[0] is '+' or '(' || char.IsDigit(text[0])) || !char.IsDigit(text[^1]))
        {
            return EndsWithBareMarker(text) ? "the extension has no digits"
                : text.Any(char.IsLetter) ? LettersReason
                : CharactersReason;
        }

        // 00 is the international prefix in most of the world, but libphonenumber, reading as from
        // the US, knows only 011. No North American number starts with 0, so nothing is misread.
        if (text.StartsWith("00", StringComparison.Ordinal))
        {
            text = "+" + text[2..];
            if (!text.Any(char.IsDigit))
            {
                return "it has no digits after the international prefix";
            }
        }

        LibPhoneNumber parsed;
        try
        {
            parsed = Util.Parse(text, DefaultRegion);
        }
        catch (NumberParseException e)
        {
            return e.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE => "the digits after '+' do not start with an assigned country calling code",
                ErrorType.TOO_SHORT_AFTER_IDD => "it has too few digits after the international prefix",
                ErrorType.TOO_SHORT_NSN => "it has too few digits",
                ErrorType.TOO_LONG => "it has too many digits",
                _ => text.Count(char.IsDigit) < 3 ? "it has too few digits" : CharactersReason,
            };
        }

        var extensionReason = CheckExtension(text, parsed, scheme, out var extension);
        if (extensionReason is not null)
        {
            return extensionReason;
        }

        var lengthReason = CheckLength(parsed);
        if (lengthReason is not null)
        {
            return lengthReason;
        }

        number = From(parsed, extension, scheme);
        return null;
    }

    private static string? StripScheme(ref string text, out string? scheme)
    {
        scheme = null;
        foreach (var candidate in (string[])["tel", "whatsapp"])
        {
            if (text.StartsWith(candidate + ":", StringComparison.OrdinalIgnoreCase))
            {
                scheme = candidate;
                text = text[(candidate.Length + 1)..];

                // URIs carry global numbers only (RFC 3966 would need a phone-context for anything else).
                return text.StartsWith('+') ? null : $"a {scheme}: URI must hold an international number starting with '+'";
            }
        }

        return text.Contains(':') ? "the only URI schemes accepted are tel: and whatsapp:" : null;
    }

    /// <summary>
    /// Refuses letters anywhere but in one of our extension markers, and extensions the scheme or
    /// the stored column cannot carry. <paramref name="extension"/> is the extension in ASCII digits.
    /// </summary>
    private static string? CheckExtension(string text, LibPhoneNumber parsed, string? scheme, out string? extension)
    {
        extension = null;
        if (!parsed.HasExtension)
        {
            return text.Any(char.IsLetter) ? LettersReason : null;
        }

        // libphonenumber only takes an extension from the end of the input, which ends with a digit.
        if (!text.EndsWith(parsed.Extension, StringComparison.Ordinal))
        {
            return CharactersReason;
        }

        var beforeDigits = text[..^parsed.Extension.Length];
        var numberEnd = beforeDigits.Length;
        while (numberEnd > 0 && !char.IsDigit(beforeDigits[numberEnd - 1]))
        {
            numberEnd--;
        }

        var marker = beforeDigits[numberEnd..].Trim(' ').TrimEnd('-', ' ');
        if (beforeDigits[..numberEnd].Any(char.IsLetter) || !ExtensionMarkers.Contains(marker, StringComparer.OrdinalIgnoreCase))
        {
            return marker.Any(char.IsLetter) || beforeDigits.Any(char.IsLetter) ? LettersReason : CharactersReason;
        }

        if (scheme == "whatsapp")
        {
            return "a whatsapp: URI cannot have an extension";
        }

        if (scheme == "tel" && !marker.Equals(";ext=", StringComparison.OrdinalIgnoreCase))
        {
            return "a tel: URI gives its extension as ';ext='";
        }

        extension = PhoneNumberUtil.NormalizeDigitsOnly(parsed.Extension);
        return extension.Length > MaxExtensionDigits ? $"an extension has at most {MaxExtensionDigits} digits" : null;
    }

    /// <summary>"303-555-1234 x": a marker right after the number, with nothing after it.</summary>
    private static bool EndsWithBareMarker(string text) =>
        ExtensionMarkers.Any(marker => text.EndsWith(marker, StringComparison.OrdinalIgnoreCase)
            && text[..^marker.Length].TrimEnd(' ') is { Length: > 0 } number && char.IsDigit(number[^1]));

    /// <summary>Refuses a number that is not even possible: the wrong length for its country code.</summary>
    private static string? CheckLength(LibPhoneNumber parsed)
    {
        var digits = DigitCount(Util.GetNationalSignificantNumber(parsed).Length);
        var where = $"it has {digits} after the country code +{parsed.CountryCode}";
        return Util.IsPossibleNumberWithReason(parsed) switch
        {
            PhoneNumberUtil.ValidationResult.IS_POSSIBLE => null,

            // IsPossibleNumber accepts these, but without an area code no one elsewhere can dial them.
            PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY => $"{where}, a local number without its area code",
            PhoneNumberUtil.ValidationResult.TOO_SHORT => $"{where}, too few for that country code",
            PhoneNumberUtil.ValidationResult.TOO_LONG => $"{where}, too many for that country code",
            PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE => $"+{parsed.CountryCode} is not an assigned country calling code",
            _ => $"{where}, a length no number there has",
        };
    }

    private static string DigitCount(int count) => count == 1 ? "1 digit" : $"{count} digits";

    /// <summary>The input as an error message may show it: bounded, and with invisible characters escaped.</summary>
    private static string Quote(string input)
    {
        var length = Math.Min(input.Length, MaxQuotedLength);
        if (length < input.Length && char.IsHighSurrogate(input[length - 1]))
        {
            length--; // never cut a surrogate pair in half
        }

        var quoted = new StringBuilder(length + 8);
        foreach (var c in input.AsSpan(0, length))
        {
            if (char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                quoted.Append(c);
            }
        }

        return length < input.Length ? quoted.Append('…').ToString() : quoted.ToString();
    }
}
