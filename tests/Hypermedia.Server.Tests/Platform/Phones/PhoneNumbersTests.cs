using System.Globalization;
using System.Text.RegularExpressions;
using Hypermedia.Server.Platform.Phones;

namespace Hypermedia.Server.Tests.Platform.Phones;

public sealed partial class PhoneNumbersTests
{
    /// <summary>Input, E164, Extension, Formatted, Scheme.</summary>
    public static TheoryData<string, string, string?, string, string?> Valid => new()
    {
        // North American shapes.
        { "1-720-333-1234", "+17203331234", null, "(720) 333-1234", null },
        { "(303) 555-1234", "+13035551234", null, "(303) 555-1234", null },
        { "(303)555-1234", "+13035551234", null, "(303) 555-1234", null },
        { "303.555.1234", "+13035551234", null, "(303) 555-1234", null },
        { "303 555 1234", "+13035551234", null, "(303) 555-1234", null },
        { "303-555-1234", "+13035551234", null, "(303) 555-1234", null },
        { "3035551234", "+13035551234", null, "(303) 555-1234", null },
        { "13035551234", "+13035551234", null, "(303) 555-1234", null },
        { "+13035551234", "+13035551234", null, "(303) 555-1234", null },
        { "+1 (303) 555-1234", "+13035551234", null, "(303) 555-1234", null },
        { "+1-303-555-1234", "+13035551234", null, "(303) 555-1234", null },
        { "+ 1 303 555 1234", "+13035551234", null, "(303) 555-1234", null },
        { "1 303 555 1234", "+13035551234", null, "(303) 555-1234", null },
        { "1.303.555.1234", "+13035551234", null, "(303) 555-1234", null },
        { "1 (303) 555-1234", "+13035551234", null, "(303) 555-1234", null },
        { "  303-555-1234  ", "+13035551234", null, "(303) 555-1234", null },
        { "(212) 555-0100", "+12125550100", null, "(212) 555-0100", null },
        { "+1 800 356 9377", "+18003569377", null, "(800) 356-9377", null },
        { "(999) 999-9999", "+19999999999", null, "(999) 999-9999", null },
        { "(200) 200-0000", "+12002000000", null, "(200) 200-0000", null },
        { "011 1 303 555 1234", "+13035551234", null, "(303) 555-1234", null },
        { "00 1 303 555 1234", "+13035551234", null, "(303) 555-1234", null },

        // Extensions, every marker.
        { "1-303-555-4567 x2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "1-303-555-4567 x 2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "1-303-555-4567 ext. 2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "1-303-555-4567 ext 2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "1-303-555-4567 extension 2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "1-303-555-4567 #2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "1-303-555-4567;ext=2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "3035554567x2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "(303) 555-4567 X2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "303-555-4567 EXT.2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "303-555-4567 Extension 2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "303-555-4567;EXT=2921", "+13035554567", "2921", "(303) 555-4567", null },
        { "+1 303 555 4567 ext 0042", "+13035554567", "0042", "(303) 555-4567", null },
        { "3035554567 x1", "+13035554567", "1", "(303) 555-4567", null },
        { "3035554567 x1234567890", "+13035554567", "1234567890", "(303) 555-4567", null },

        // URIs.
        { "tel:+13035551234", "+13035551234", null, "(303) 555-1234", "tel" },
        { "tel:+1-303-555-1234;ext=2921", "+13035551234", "2921", "(303) 555-1234", "tel" },
        { "TEL:+1.303.555.1234", "+13035551234", null, "(303) 555-1234", "tel" },
        { "tel:+1(303)555-1234", "+13035551234", null, "(303) 555-1234", "tel" },
        { "tel:+44-20-7946-0958", "+442079460958", null, "+44 2079460958", "tel" },
        { "whatsapp:+13035551234", "+13035551234", null, "(303) 555-1234", "whatsapp" },
        { "WhatsApp:+1 303 555 1234", "+13035551234", null, "(303) 555-1234", "whatsapp" },
        { "WHATSAPP:+447911123456", "+447911123456", null, "+44 7911123456", "whatsapp" },

        // International: 1-, 2- and 3-digit country codes, prefixes, length bounds.
        { "+44 20 7946 0958", "+442079460958", null, "+44 2079460958", null },
        { "+44.20.7946.0958", "+442079460958", null, "+44 2079460958", null },
        { "0044 20 7946 0958", "+442079460958", null, "+44 2079460958", null },
        { "011 44 20 7946 0958", "+442079460958", null, "+44 2079460958", null },
        { "+44 20 7946 0958 ext. 12", "+442079460958", "12", "+44 2079460958", null },
        { "+7 495 123-45-67", "+74951234567", null, "+7 4951234567", null },
        { "+49 30 901820", "+4930901820", null, "+49 30901820", null },
        { "+33 1 23 45 67 89", "+33123456789", null, "+33 123456789", null },
        { "+39 06 6988 1234", "+390669881234", null, "+39 0669881234", null },
        { "+81 3-1234-5678", "+81312345678", null, "+81 312345678", null },
        { "+86 10 1234 5678", "+861012345678", null, "+86 1012345678", null },
        { "+91 98765 43210", "+919876543210", null, "+91 9876543210", null },
        { "+61 (2) 9876 5432", "+61298765432", null, "+61 298765432", null },
        { "+55 11 91234-5678", "+5511912345678", null, "+55 11912345678", null },
        { "+20 2 1234 5678", "+20212345678", null, "+20 212345678", null },
        { "+353 1 234 5678", "+35312345678", null, "+353 12345678", null },
        { "+971 4 123 4567", "+97141234567", null, "+971 41234567", null },
        { "+234 803 123 4567", "+2348031234567", null, "+234 8031234567", null },
        { "+380 44 123 4567", "+380441234567", null, "+380 441234567", null },
        { "+852 2123 4567", "+85221234567", null, "+852 21234567", null },
        { "+800 1234 5678", "+80012345678", null, "+800 12345678", null },
        { "+290 12345", "+29012345", null, "+290 12345", null },
        { "+86 1234 5678 9012 3", "+861234567890123", null, "+86 1234567890123", null },
    };

    /// <summary>Input, and a fragment of the reason the error must give.</summary>
    public static TheoryData<string, string> Invalid => new()
    {
        // Empty and oversized.
        { "", "empty" },
        { "   ", "empty" },
        { new string('5', PhoneNumbers.MaxInputLength + 1), "longer than 64 characters" },
        { "+1 303 555 1234 ext. 12".PadRight(PhoneNumbers.MaxInputLength + 1), "longer than 64 characters" },

        // Digit counts.
        { "12345", "has 5 digits" },
        { "303-555-123", "has 9 digits" },
        { "23035551234", "has 11 digits" },
        { "1303555123456", "has 13 digits" },
        { "0", "has 1 digit," },
        { "+1 303 555 123", "9 digits after the country code 1" },
        { "+1 303 555 12345", "11 digits after the country code 1" },
        { "+44 1234", "has 6 digits" },
        { "+290 1234", "has 7 digits" },
        { "+86 1234 5678 9012 34", "has 16 digits" },
        { "+44", "has 2 digits" },
        { "#2921", "no digits" },
        { "+", "no digits" },
        { "00", "no digits after the international prefix" },

        // North American numbering rules.
        { "(023) 555-1234", "area code 023" },
        { "(123) 555-1234", "area code 123" },
        { "1 (123) 555-1234", "area code 123" },
        { "(911) 555-1234", "911 is an N11 service code" },
        { "(411) 555-1234", "411 is an N11 service code" },
        { "+1 211 555 1234", "211 is an N11 service code" },
        { "(303) 055-1234", "exchange code 055" },
        { "1-303-123-4567 x2921", "exchange code 123" },

        // Plus signs.
        { "++13035551234", "more than one '+'" },
        { "+1303+5551234", "more than one '+'" },
        { "1+3035551234", "only appear at the start" },
        { "303-555-1234+", "only appear at the start" },

        // Country codes.
        { "+9991234567", "+999 is not an assigned country calling code" },
        { "+2101234567", "+210 is not an assigned country calling code" },
        { "+3881234567", "+388 is not an assigned country calling code" },
        { "+0123456789", "never start with 0" },
        { "000 44 20 7946 0958", "never start with 0" },
        { "+44 (0)20 7946 0958", "trunk prefix '(0)'" },

        // Letters and other characters.
        { "1-800-FLOWERS", "vanity numbers" },
        { "1-800-XBOX", "vanity numbers" },
        { "call 303-555-1234", "letters" },
        { "303_555_1234", "may only contain digits" },
        { "303/555/1234", "may only contain digits" },
        { "３０３５５５１２３４", "may only contain digits" },
        { "٣٠٣٥٥٥١٢٣٤", "may only contain digits" },
        { "303-555-1234 🙂", "may only contain digits" },

        // Extensions.
        { "303-555-1234 x", "no digits" },
        { "3035551234#", "no digits" },
        { "303-555-1234;ext=", "no digits" },
        { "303-555-1234 x12345678901", "at most 10 digits" },
        { "303-555-1234 ext. 12a", "letters" },
        { "303-555-1234 ext-2921", "digits only" },
        { "303-555-1234 x 29 21", "digits only" },
        { "303-555-1234;phone-context=+1", "only parameter accepted after ';' is ext=" },

        // Schemes.
        { "sms:+13035551234", "only URI schemes accepted" },
        { "tel:3035551234", "must hold an international number starting with '+'" },
        { "tel:", "must hold an international number starting with '+'" },
        { "whatsapp:13035551234", "must hold an international number starting with '+'" },
        { "whatsapp:+13035551234;ext=12", "cannot have an extension" },
        { "tel:+13035551234 x2921", "extension as ';ext='" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_input_parses_to_e164(string input, string e164, string? extension, string formatted, string? scheme)
    {
        Assert.True(PhoneNumbers.TryParse(input, out var number, out var error), error);
        Assert.Null(error);
        Assert.Equal(e164, number.E164);
        Assert.Equal(extension, number.Extension);
        Assert.Equal(formatted, number.Formatted);
        Assert.Equal(scheme, number.Scheme);
        Assert.Equal(e164[1..], number.Digits);
        Assert.Equal(e164.StartsWith("+1", StringComparison.Ordinal), number.IsNanp);

        // What we hand out must be accepted back.
        Assert.True(PhoneNumbers.TryParse(e164, out var fromE164, out _));
        Assert.Equal(e164, fromE164.E164);
        Assert.True(PhoneNumbers.TryParse(formatted, out var fromFormatted, out _));
        Assert.Equal(e164, fromFormatted.E164);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_input_is_refused_with_a_reason_naming_it(string input, string reason)
    {
        Assert.False(PhoneNumbers.TryParse(input, out var number, out var error));
        Assert.Null(number);
        Assert.NotNull(error);
        Assert.StartsWith($"'{input}' is not a valid phone number: ", error);
        Assert.Contains(reason, error);
        Assert.EndsWith(".", error);
    }

    [Fact]
    public void Null_is_refused()
    {
        Assert.False(PhoneNumbers.TryParse(null, out var number, out var error));
        Assert.Null(number);
        Assert.Equal("A phone number is required.", error);
    }

    [Theory]
    [InlineData("303\n555-1234", "'303\\u000A555-1234'")]
    [InlineData("303-555-1234\t", "'303-555-1234\\u0009'")]
    [InlineData("\0", "'\\u0000'")]
    [InlineData("+1303555\u007F1234", "'+1303555\\u007F1234'")]
    public void Control_characters_are_refused_and_escaped_in_the_message(string input, string quoted)
    {
        Assert.False(PhoneNumbers.TryParse(input, out var number, out var error));
        Assert.Null(number);
        Assert.Equal($"{quoted} is not a valid phone number: it contains a control character.", error);
    }

    [Fact]
    public void Invisible_format_characters_are_escaped_in_the_message()
    {
        Assert.False(PhoneNumbers.TryParse("303\u200B555\u202E1234", out _, out var error));
        Assert.StartsWith("'303\\u200B555\\u202E1234' is not a valid phone number", error);
    }

    [Fact]
    public void Huge_input_is_refused_with_a_bounded_message()
    {
        var input = new string('9', 1_000_000);
        Assert.False(PhoneNumbers.TryParse(input, out var number, out var error));
        Assert.Null(number);
        Assert.StartsWith($"'{input[..80]}…' is not a valid phone number", error);
        Assert.True(error.Length < 200);
    }

    [Fact]
    public void Quoting_a_long_input_never_splits_a_surrogate_pair()
    {
        var input = new string('1', 79) + "🙂🙂";
        Assert.False(PhoneNumbers.TryParse(input, out _, out var error));
        Assert.StartsWith($"'{new string('1', 79)}…'", error);
    }

    [Fact]
    public void Random_input_never_throws_and_success_is_always_e164()
    {
        const string alphabet = "0123456789012345678901234567890123456789 +-.()#;:=xXeEtTn\u00A0\t\n\0é٣３🙂\uD800";
        var random = new Random(20240611);
        for (var i = 0; i < 50_000; i++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = random.Next(10) == 0 ? (char)random.Next(char.MaxValue + 1) : alphabet[random.Next(alphabet.Length)];
            }

            var input = new string(chars);
            if (PhoneNumbers.TryParse(input, out var number, out var error))
            {
                Assert.Null(error);
                Assert.Matches(E164Pattern(), number.E164);
                Assert.True(number.Extension is null || ExtensionPattern().IsMatch(number.Extension), input);
            }
            else
            {
                Assert.Null(number);
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        }
    }

    [Fact]
    public void Country_codes_form_a_prefix_code()
    {
        var codes = CountryCallingCodes.All.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var code in codes)
        {
            Assert.InRange(code.Length, 1, 3);
            Assert.DoesNotContain(codes, other => other != code && other.StartsWith(code, StringComparison.Ordinal));
        }

        int[] twoDigit = [20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58,
            60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98];
        Assert.Equal(twoDigit, CountryCallingCodes.All.Where(c => c is >= 10 and < 100).Order());
        int[] oneDigit = [1, 7];
        Assert.Equal(oneDigit, CountryCallingCodes.All.Where(c => c < 10).Order());
    }

    [Theory]
    [InlineData("44", 2)]
    [InlineData("4420", 2)]
    [InlineData("3531", 3)]
    [InlineData("1303", 1)]
    [InlineData("7495", 1)]
    [InlineData("01", 0)]
    [InlineData("999", 0)]
    [InlineData("", 0)]
    public void Country_code_match_length(string digits, int length) =>
        Assert.Equal(length, CountryCallingCodes.MatchLength(digits));

    [Fact]
    public void A_hand_built_number_formats_without_throwing()
    {
        Assert.Equal("+999", new PhoneNumber("+999", null).Formatted);
        Assert.Equal("+44", new PhoneNumber("+44", null).Formatted);
        Assert.Null(new PhoneNumber("+13035551234", null).Scheme);
        Assert.Equal(new PhoneNumber("+13035551234", "1"), new PhoneNumber("+13035551234", "1"));
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164Pattern();

    [GeneratedRegex("^[0-9]{1,10}$")]
    private static partial Regex ExtensionPattern();
}
