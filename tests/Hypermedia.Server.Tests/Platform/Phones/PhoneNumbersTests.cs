using System.Text.RegularExpressions;
using Hypermedia.Server.Platform.Phones;

namespace Hypermedia.Server.Tests.Platform.Phones;

public sealed partial class PhoneNumbersTests
{
    /// <summary>Input, E164, Extension, Formatted, Scheme, valid for its region.</summary>
    public static TheoryData<string, string, string?, string, string?, bool> Valid => new()
    {
        // North American shapes.
        { "1-720-333-1234", "+17203331234", null, "(720) 333-1234", null, true },
        { "(303) 555-1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "(303)555-1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "303.555.1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "303 555 1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "303-555-1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "3035551234", "+13035551234", null, "(303) 555-1234", null, true },
        { "13035551234", "+13035551234", null, "(303) 555-1234", null, true },
        { "+13035551234", "+13035551234", null, "(303) 555-1234", null, true },
        { "+1 (303) 555-1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "+1-303-555-1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "+ 1 303 555 1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "1 303 555 1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "1.303.555.1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "1 (303) 555-1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "  303-555-1234  ", "+13035551234", null, "(303) 555-1234", null, true },
        { "(212) 555-0100", "+12125550100", null, "(212) 555-0100", null, true },
        { "+1 800 356 9377", "+18003569377", null, "(800) 356-9377", null, true },
        { "(999) 999-9999", "+19999999999", null, "(999) 999-9999", null, false },
        { "(200) 200-0000", "+12002000000", null, "(200) 200-0000", null, false },
        { "011 1 303 555 1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "00 1 303 555 1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "303/555/1234", "+13035551234", null, "(303) 555-1234", null, true },
        { "++13035551234", "+13035551234", null, "(303) 555-1234", null, true },
        { "３０３５５５１２３４", "+13035551234", null, "(303) 555-1234", null, true },
        { "٣٠٣٥٥٥١٢٣٤", "+13035551234", null, "(303) 555-1234", null, true },

        // Possible but not valid: the right length, but not assigned in the plan. Stored, flagged.
        { "(023) 555-1234", "+10235551234", null, "0235551234", null, false },
        { "(123) 555-1234", "+11235551234", null, "1235551234", null, false },
        { "(911) 555-1234", "+19115551234", null, "(911) 555-1234", null, false },
        { "(411) 555-1234", "+14115551234", null, "(411) 555-1234", null, false },
        { "+1 211 555 1234", "+12115551234", null, "(211) 555-1234", null, false },
        { "(303) 055-1234", "+13030551234", null, "(303) 055-1234", null, false },
        { "1-303-123-4567 x2921", "+13031234567", "2921", "(303) 123-4567", null, false },
        { "+290 1234", "+2901234", null, "+290 1234", null, false },

        // Extensions, every marker.
        { "1-303-555-4567 x2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "1-303-555-4567 x 2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "1-303-555-4567 ext. 2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "1-303-555-4567 ext 2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "1-303-555-4567 extension 2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "1-303-555-4567 #2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "1-303-555-4567;ext=2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "3035554567x2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "(303) 555-4567 X2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "303-555-4567 EXT.2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "303-555-4567 Extension 2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "303-555-4567;EXT=2921", "+13035554567", "2921", "(303) 555-4567", null, true },
        { "+1 303 555 4567 ext 0042", "+13035554567", "0042", "(303) 555-4567", null, true },
        { "3035554567 x1", "+13035554567", "1", "(303) 555-4567", null, true },
        { "3035554567 ext. 1234567890", "+13035554567", "1234567890", "(303) 555-4567", null, true },
        { "303-555-1234 ext-2921", "+13035551234", "2921", "(303) 555-1234", null, true },
        { "٣٠٣٥٥٥١٢٣٤ x٢٩", "+13035551234", "29", "(303) 555-1234", null, true },

        // URIs.
        { "tel:+13035551234", "+13035551234", null, "(303) 555-1234", "tel", true },
        { "tel:+1-303-555-1234;ext=2921", "+13035551234", "2921", "(303) 555-1234", "tel", true },
        { "tel:+1-303-555-1234;EXT=2921", "+13035551234", "2921", "(303) 555-1234", "tel", true },
        { "TEL:+1.303.555.1234", "+13035551234", null, "(303) 555-1234", "tel", true },
        { "tel:+1(303)555-1234", "+13035551234", null, "(303) 555-1234", "tel", true },
        { "tel:+44-20-7946-0958", "+442079460958", null, "+44 20 7946 0958", "tel", true },
        { "whatsapp:+13035551234", "+13035551234", null, "(303) 555-1234", "whatsapp", true },
        { "WhatsApp:+1 303 555 1234", "+13035551234", null, "(303) 555-1234", "whatsapp", true },
        { "WHATSAPP:+447911123456", "+447911123456", null, "+44 7911 123456", "whatsapp", true },

        // International: 1-, 2- and 3-digit country codes, prefixes, each plan's own grouping.
        { "+44 20 7946 0958", "+442079460958", null, "+44 20 7946 0958", null, true },
        { "+44.20.7946.0958", "+442079460958", null, "+44 20 7946 0958", null, true },
        { "0044 20 7946 0958", "+442079460958", null, "+44 20 7946 0958", null, true },
        { "011 44 20 7946 0958", "+442079460958", null, "+44 20 7946 0958", null, true },
        { "+44 (0)20 7946 0958", "+442079460958", null, "+44 20 7946 0958", null, true },
        { "+44 20 7946 0958 ext. 12", "+442079460958", "12", "+44 20 7946 0958", null, true },
        { "+7 495 123-45-67", "+74951234567", null, "+7 495 123-45-67", null, true },
        { "+49 30 901820", "+4930901820", null, "+49 30 901820", null, true },
        { "+33 1 23 45 67 89", "+33123456789", null, "+33 1 23 45 67 89", null, true },
        { "+39 06 6988 1234", "+390669881234", null, "+39 06 6988 1234", null, true },
        { "+81 3-1234-5678", "+81312345678", null, "+81 3-1234-5678", null, true },
        { "+86 10 1234 5678", "+861012345678", null, "+86 10 1234 5678", null, true },
        { "+91 98765 43210", "+919876543210", null, "+91 98765 43210", null, true },
        { "+61 (2) 9876 5432", "+61298765432", null, "+61 2 9876 5432", null, true },
        { "+55 11 91234-5678", "+5511912345678", null, "+55 11 91234-5678", null, true },
        { "+20 2 1234 5678", "+20212345678", null, "+20 2 12345678", null, true },
        { "+353 1 234 5678", "+35312345678", null, "+353 1 234 5678", null, true },
        { "+971 4 123 4567", "+97141234567", null, "+971 41234567", null, false },
        { "+234 803 123 4567", "+2348031234567", null, "+234 803 123 4567", null, true },
        { "+380 44 123 4567", "+380441234567", null, "+380 44 123 4567", null, true },
        { "+852 2123 4567", "+85221234567", null, "+852 2123 4567", null, true },
        { "+800 1234 5678", "+80012345678", null, "+800 1234 5678", null, true },
        { "+290 12345", "+29012345", null, "+290 12345", null, false },

        // After +86, libphonenumber reads a leading 1xxxx as a Chinese carrier-selection prefix and drops it.
        { "+86 1234 5678 9012 3", "+8667890123", null, "+86 67890123", null, false },
        { "+86 1234 5678 9012 34", "+86678901234", null, "+86 678901234", null, false },
    };

    /// <summary>Input, and a fragment of the reason the error must give.</summary>
    public static TheoryData<string, string> Invalid => new()
    {
        // Empty and oversized.
        { "", "empty" },
        { "   ", "empty" },
        { new string('5', PhoneNumber.MaxInputLength + 1), "longer than 64 characters" },
        { "+1 303 555 1234 ext. 12".PadRight(PhoneNumber.MaxInputLength + 1), "longer than 64 characters" },

        // Digit counts, as libphonenumber knows each plan's lengths.
        { "12345", "has 5 digits after the country code +1, too few" },
        { "303-555-123", "has 9 digits after the country code +1, too few" },
        { "23035551234", "has 11 digits after the country code +1, too many" },
        { "1303555123456", "has 12 digits after the country code +1, too many" },
        { "0", "too few digits" },
        { "+1 303 555 123", "9 digits after the country code +1, too few" },
        { "+1 303 555 12345", "11 digits after the country code +1, too many" },
        { "1 (123) 555-1234", "9 digits after the country code +1, too few" },
        { "+44 1234", "4 digits after the country code +44, a local number without its area code" },
        { "555-1234", "7 digits after the country code +1, a local number without its area code" },
        { "+44", "too few digits" },
        { "011", "too few digits after the international prefix" },
        { "3035554567 x1234567890", "too many digits" },
        { "303-555-1234 x12345678901", "too many digits" },
        { "#2921", "may only contain digits" },
        { "+", "no digits" },
        { "00", "no digits after the international prefix" },

        // Plus signs.
        { "+1303+5551234", "may only contain digits, a leading '+'" },
        { "1+3035551234", "may only contain digits, a leading '+'" },
        { "303-555-1234+", "may only contain digits, a leading '+'" },

        // Country codes.
        { "+9991234567", "do not start with an assigned country calling code" },
        { "+2101234567", "do not start with an assigned country calling code" },
        { "+3881234567", "do not start with an assigned country calling code" },
        { "+0123456789", "do not start with an assigned country calling code" },
        { "000 44 20 7946 0958", "do not start with an assigned country calling code" },

        // Letters and other characters.
        { "1-800-FLOWERS", "vanity numbers" },
        { "1-800-XBOX", "vanity numbers" },
        { "1-800-FLOWERS x12", "vanity numbers" },
        { "call 303-555-1234", "letters" },
        { "3035551234 ab x12", "letters" },
        { "303-555-1234 anexo 12", "letters outside an extension marker (x, ext. or #)" },
        { "303_555_1234", "may only contain digits" },
        { "303-555-1234 🙂", "may only contain digits" },

        // Extensions.
        { "303-555-1234 x", "extension has no digits" },
        { "3035551234#", "extension has no digits" },
        { "303-555-1234;ext=", "extension has no digits" },
        { "303-555-1234 ext. 12345678901", "at most 10 digits" },
        { "303-555-1234 ext. 12a", "letters" },
        { "303-555-1234 x 29 21", "letters" },
        { "303-555-1234;phone-context=+1", "letters" },

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
    public void Valid_input_parses_to_e164(string input, string e164, string? extension, string formatted, string? scheme, bool valid)
    {
        Assert.True(PhoneNumber.TryParse(input, out var number, out var error), error);
        Assert.Null(error);
        Assert.Equal(e164, number.E164);
        Assert.Equal(extension, number.Extension);
        Assert.Equal(formatted, number.Formatted);
        Assert.Equal(scheme, number.Scheme);
        Assert.Equal(e164[1..], number.Digits);
        Assert.Equal(e164.StartsWith("+1", StringComparison.Ordinal), number.IsNanp);
        Assert.Equal(valid, number.IsValid);

        // What we hand out must be accepted back.
        Assert.True(PhoneNumber.TryParse(e164, out var fromE164, out _));
        Assert.Equal(e164, fromE164.E164);
        Assert.True(PhoneNumber.TryParse(formatted, out var fromFormatted, out _));
        Assert.Equal(e164, fromFormatted.E164);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_input_is_refused_with_a_reason_naming_it(string input, string reason)
    {
        Assert.False(PhoneNumber.TryParse(input, out var number, out var error));
        Assert.Null(number);
        Assert.NotNull(error);
        Assert.StartsWith($"'{input}' is not a valid phone number: ", error);
        Assert.Contains(reason, error);
        Assert.EndsWith(".", error);
    }

    [Fact]
    public void Null_is_refused()
    {
        Assert.False(PhoneNumber.TryParse(null, out var number, out var error));
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
        Assert.False(PhoneNumber.TryParse(input, out var number, out var error));
        Assert.Null(number);
        Assert.Equal($"{quoted} is not a valid phone number: it contains a control character.", error);
    }

    [Fact]
    public void Invisible_format_characters_are_escaped_in_the_message()
    {
        Assert.False(PhoneNumber.TryParse("303\u200B555\u202E1234", out _, out var error));
        Assert.StartsWith("'303\\u200B555\\u202E1234' is not a valid phone number", error);
    }

    [Fact]
    public void Huge_input_is_refused_with_a_bounded_message()
    {
        var input = new string('9', 1_000_000);
        Assert.False(PhoneNumber.TryParse(input, out var number, out var error));
        Assert.Null(number);
        Assert.StartsWith($"'{input[..80]}…' is not a valid phone number", error);
        Assert.True(error.Length < 200);
    }

    [Fact]
    public void Quoting_a_long_input_never_splits_a_surrogate_pair()
    {
        var input = new string('1', 79) + "🙂🙂";
        Assert.False(PhoneNumber.TryParse(input, out _, out var error));
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
            if (PhoneNumber.TryParse(input, out var number, out var error))
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
    public void The_stored_number_reads_back_with_format_and_validity()
    {
        var number = PhoneNumber.FromE164("+13031234567");

        Assert.Equal("+13031234567", number.E164);
        Assert.Equal("(303) 123-4567", number.Formatted);
        Assert.False(number.IsValid);
        Assert.Null(number.Extension);
        Assert.Null(number.Scheme);
    }

    [Theory]
    [InlineData("+13035551234", "(303) 555-1234")]
    [InlineData("+18003569377", "(800) 356-9377")]
    [InlineData("+14165550123", "(416) 555-0123")]
    [InlineData("+442079460958", "+44 20 7946 0958")]
    [InlineData("+33123456789", "+33 1 23 45 67 89")]
    [InlineData("+5511912345678", "+55 11 91234-5678")]
    public void North_American_numbers_format_nationally_and_others_internationally(string e164, string formatted) =>
        Assert.Equal(formatted, PhoneNumber.FromE164(e164).Formatted);

    [Fact]
    public void A_stored_value_that_does_not_parse_reads_back_as_itself_and_not_valid()
    {
        var number = PhoneNumber.FromE164("+999");

        Assert.Equal("+999", number.E164);
        Assert.Equal("+999", number.Formatted);
        Assert.False(number.IsValid);
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{3,14}$")]
    private static partial Regex E164Pattern();

    [GeneratedRegex("^[0-9]{1,10}$")]
    private static partial Regex ExtensionPattern();
}
