namespace Hypermedia.Server.Platform.Phones;

/// <summary>
/// A phone number in E.164 form (<c>+13035551234</c>) with an optional extension of digits.
/// Obtain one from <see cref="PhoneNumbers.TryParse"/>; the constructor itself does not validate.
/// </summary>
public sealed record PhoneNumber(string E164, string? Extension)
{
    /// <summary>"tel" or "whatsapp" when the input was such a URI, so replies can go back over the same channel; otherwise null.</summary>
    public string? Scheme { get; init; }

    /// <summary>True for country code 1, the North American Numbering Plan.</summary>
    public bool IsNanp => E164.StartsWith("+1", StringComparison.Ordinal);

    /// <summary>The E.164 digits without the '+', e.g. "13035551234".</summary>
    public string Digits => E164.StartsWith('+') ? E164[1..] : E164;

    /// <summary>
    /// For display, without the extension (see <see cref="Extension"/>). North American numbers read
    /// "(303) 555-1234". Others read "+44 2079460958": the country code, a space, then the national
    /// number ungrouped, because grouping correctly needs per-country numbering plans and a wrong
    /// grouping misleads more than none.
    /// </summary>
    public string Formatted
    {
        get
        {
            var digits = Digits;
            if (IsNanp && digits.Length == 11)
            {
                return $"({digits[1..4]}) {digits[4..7]}-{digits[7..]}";
            }

            var codeLength = CountryCallingCodes.MatchLength(digits);
            return codeLength == 0 || codeLength >= digits.Length ? E164 : $"+{digits[..codeLength]} {digits[codeLength..]}";
        }
    }
}
