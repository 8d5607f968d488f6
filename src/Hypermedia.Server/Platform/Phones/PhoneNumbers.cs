using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Hypermedia.Server.Platform.Phones;

/// <summary>
/// Parses phone numbers as people and systems write them into E.164. Without a '+' (or an
/// international prefix 00 / 011) a number is read as North American, the callers' home plan.
/// </summary>
public static class PhoneNumbers
{
    /// <summary>Longer input is refused before it is scanned; a real number with extension and scheme fits easily.</summary>
    public const int MaxInputLength = 64;

    public const int MaxExtensionDigits = 10;

    private const int MinInternationalDigits = 8;
    private const int MaxInternationalDigits = 15; // the E.164 maximum, country code included

    /// <summary>Error messages quote at most this much of the input, so a hostile megabyte never reaches logs or responses.</summary>
    private const int MaxQuotedLength = 80;

    private const string LettersReason = "it contains letters, and vanity numbers such as 1-800-FLOWERS must be given as digits";

    // Longest first, so "extension 12" is not read as "ext" followed by "ension 12".
    private static readonly string[] ExtensionMarkers = [";ext=", "extension", "ext.", "ext", "x", "#"];

    private static readonly SearchValues<char> ExtensionStart =
        SearchValues.Create("#;ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>
    /// Never throws. On failure <paramref name="error"/> is one sentence for an API client that quotes the input.
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

        var reason = Parse(input, out number);
        error = reason is null ? null : $"'{Quote(input)}' is not a valid phone number: {reason}.";
        return reason is null;
    }

    /// <summary>Returns why the input is not a phone number, or null and the number.</summary>
    private static string? Parse(string input, out PhoneNumber? number)
    {
        number = null;
        if (input.Length > MaxInputLength)
        {
            return $"it is longer than {MaxInputLength} characters";
        }

        foreach (var c in input)
        {
            if (char.IsControl(c))
            {
                return "it contains a control character";
            }
        }

        var text = input.AsSpan().Trim(' ');
        if (text.IsEmpty)
        {
            return "it is empty";
        }

        string? scheme = null;
        if (StripPrefix(ref text, "tel:"))
        {
            scheme = "tel";
        }
        else if (StripPrefix(ref text, "whatsapp:"))
        {
            scheme = "whatsapp";
        }
        else if (text.Contains(':'))
        {
            return "the only URI schemes accepted are tel: and whatsapp:";
        }

        // URIs carry global numbers only (RFC 3966 would need a phone-context for anything else).
        if (scheme is not null && (text.IsEmpty || text[0] != '+'))
        {
            return $"a {scheme}: URI must hold an international number starting with '+'";
        }

        // Everything from the first letter, '#' or ';' on is the extension (or a reason to refuse).
        var split = text.IndexOfAny(ExtensionStart);
        string? extension = null;
        if (split >= 0)
        {
            var extensionReason = ParseExtension(text[split..], scheme, out extension);
            if (extensionReason is not null)
            {
                return extensionReason;
            }

            text = text[..split];
        }

        var numberReason = ParseDigits(text, out var e164);
        if (numberReason is not null)
        {
            return numberReason;
        }

        number = new PhoneNumber(e164, extension) { Scheme = scheme };
        return null;
    }

    private static string? ParseExtension(ReadOnlySpan<char> text, string? scheme, out string? extension)
    {
        extension = null;
        string? marker = null;
        foreach (var candidate in ExtensionMarkers)
        {
            if (text.StartsWith(candidate, StringComparison.OrdinalIgnoreCase))
            {
                marker = candidate;
                break;
            }
        }

        if (marker is null)
        {
            return text[0] == ';' ? "the only parameter accepted after ';' is ext=" : LettersReason;
        }

        if (scheme == "whatsapp")
        {
            return "a whatsapp: URI cannot have an extension";
        }

        if (scheme == "tel" && marker != ";ext=")
        {
            return "a tel: URI gives its extension as ';ext='";
        }

        var digits = text[marker.Length..].TrimStart(' ');
        if (digits.IsEmpty)
        {
            return "the extension has no digits";
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return char.IsAsciiLetter(c) ? LettersReason : "an extension must be digits only";
            }
        }

        if (digits.Length > MaxExtensionDigits)
        {
            return $"an extension has at most {MaxExtensionDigits} digits";
        }

        extension = digits.ToString();
        return null;
    }

    /// <summary>Reads the number part (no scheme, no extension): an optional leading '+', digits and visual separators.</summary>
    private static string? ParseDigits(ReadOnlySpan<char> text, out string e164)
    {
        e164 = "";
        Span<char> buffer = stackalloc char[MaxInputLength];
        var count = 0;
        var plus = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                buffer[count++] = c;
            }
            else if (c == '+')
            {
                if (plus)
                {
                    return "it has more than one '+'";
                }

                if (i != 0)
                {
                    return "a '+' may only appear at the start";
                }

                plus = true;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                return "it may only contain digits, a leading '+', spaces, dashes, dots and parentheses";
            }
        }

        ReadOnlySpan<char> digits = buffer[..count];
        if (digits.IsEmpty)
        {
            return "it contains no digits";
        }

        if (!plus)
        {
            // No North American number starts with 0, so these prefixes cannot be misread.
            if (digits.StartsWith("011"))
            {
                plus = true;
                digits = digits[3..];
            }
            else if (digits.StartsWith("00"))
            {
                plus = true;
                digits = digits[2..];
            }
        }

        if (plus)
        {
            // "+44 (0)20 ..." keeps the national trunk prefix, which E.164 drops; guessing which countries keep it is worse than asking.
            return text.Contains("(0)", StringComparison.Ordinal)
                ? "the national trunk prefix '(0)' does not belong in an international number"
                : ParseInternational(digits, out e164);
        }

        if (digits.Length == 11 && digits[0] == '1')
        {
            digits = digits[1..];
        }
        else if (digits.Length != 10)
        {
            return $"it has {DigitCount(digits.Length)}, but a North American number has 10 (or 11 starting with 1) and an international one starts with '+'";
        }

        return ParseNanp(digits, out e164);
    }

    private static string? ParseInternational(ReadOnlySpan<char> digits, out string e164)
    {
        e164 = "";
        if (digits.IsEmpty)
        {
            return "it has no digits after the international prefix";
        }

        if (digits[0] == '0')
        {
            return "country calling codes never start with 0";
        }

        var codeLength = CountryCallingCodes.MatchLength(digits);
        if (codeLength == 0)
        {
            return digits.Length < 3
                ? $"it has {DigitCount(digits.Length)}, but an international number has {MinInternationalDigits} to {MaxInternationalDigits} including the country code"
                : $"+{digits[..3]} is not an assigned country calling code";
        }

        if (codeLength == 1 && digits[0] == '1')
        {
            return digits.Length == 11
                ? ParseNanp(digits[1..], out e164)
                : $"it has {DigitCount(digits.Length - 1)} after the country code 1, but a North American number has 10";
        }

        if (digits.Length is < MinInternationalDigits or > MaxInternationalDigits)
        {
            return $"it has {DigitCount(digits.Length)}, but an international number has {MinInternationalDigits} to {MaxInternationalDigits} including the country code";
        }

        e164 = $"+{digits}";
        return null;
    }

    /// <summary>Checks the ten digits after the country code 1: area code NXX (not N11) and exchange NXX, N being 2-9.</summary>
    private static string? ParseNanp(ReadOnlySpan<char> digits, out string e164)
    {
        e164 = "";
        var area = digits[..3];
        if (area[0] is '0' or '1')
        {
            return $"the area code {area} must start with a digit from 2 to 9";
        }

        if (area[1] == '1' && area[2] == '1')
        {
            return $"{area} is an N11 service code (like 411 or 911), not an area code";
        }

        var exchange = digits[3..6];
        if (exchange[0] is '0' or '1')
        {
            return $"the exchange code {exchange} must start with a digit from 2 to 9";
        }

        e164 = $"+1{digits}";
        return null;
    }

    private static string DigitCount(int count) => count == 1 ? "1 digit" : $"{count} digits";

    private static bool StripPrefix(ref ReadOnlySpan<char> text, string prefix)
    {
        if (!text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        text = text[prefix.Length..];
        return true;
    }

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
