using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hypermedia.Server.Platform.Errors;

namespace Hypermedia.Server.Features.Accounts;

/// <summary>
/// An account's settings: a small JSON object merged by PATCH. It is loaded with the account on every
/// membership check and served in every Account document, so it stays small after every change: at
/// most <see cref="MaxKeys"/> keys and <see cref="MaxBytes"/> bytes, and numbers kept in the plain
/// decimal form PostgreSQL (jsonb numeric) stores and serves, where 1e131000 is 131,001 characters.
/// </summary>
public static partial class AccountSettings
{
    public const int MaxKeys = 100;
    public const int MaxBytes = 16 * 1024;
    public const int MaxNumberLength = 32;

    /// <summary>
    /// Applies a patch (a key set to null is removed, any other value replaces the old one) and returns the
    /// settings to store, or null with the broken rules in <paramref name="validator"/>.
    /// </summary>
    public static string? Merge(Validator validator, string current, JsonObject patch)
    {
        var merged = JsonNode.Parse(current)!.AsObject();
        foreach (var (key, value) in patch)
        {
            if (!KeyPattern().IsMatch(key))
            {
                validator.Add($"settings.{key}", "is not a valid setting name (letters and digits, starting with a letter, at most 64)");
            }
            else if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = Stored(validator, value, $"settings.{key}");
            }
        }

        if (!validator.IsValid)
        {
            return null;
        }

        if (merged.Count > MaxKeys)
        {
            validator.Add("settings", $"may hold at most {MaxKeys} keys (this change would make {merged.Count})");
            return null;
        }

        var json = merged.ToJsonString();
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > MaxBytes)
        {
            validator.Add("settings", $"may take at most {MaxBytes} bytes as JSON (this change would make {bytes})");
            return null;
        }

        return json;
    }

    /// <summary>A copy of a patch value as it will be stored: numbers in plain decimal form, each checked.</summary>
    private static JsonNode? Stored(Validator validator, JsonNode? value, string path)
    {
        switch (value)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, item) in obj)
                {
                    copy[key] = Stored(validator, item, $"{path}.{key}");
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select((item, i) => Stored(validator, item, $"{path}[{i}]"))]);
            case JsonValue number when number.GetValueKind() == JsonValueKind.Number:
                if (PlainDecimal(number.ToJsonString()) is { } plain)
                {
                    return JsonNode.Parse(plain);
                }

                validator.Add(path, $"must be a number of at most {MaxNumberLength} characters in plain decimal form");
                return null;
            default:
                return value?.DeepClone();
        }
    }

    /// <summary>
    /// A JSON number written out without an exponent, keeping its scale as PostgreSQL's numeric does
    /// (1.50e1 is 15.0, 1e-2 is 0.01); null when that takes more than <see cref="MaxNumberLength"/> characters.
    /// The length is worked out before any digit is written, so 1e400000 costs nothing.
    /// </summary>
    internal static string? PlainDecimal(string json)
    {
        var negative = json.StartsWith('-');
        var unsigned = negative ? json[1..] : json;
        var e = unsigned.IndexOfAny(['e', 'E']);
        var mantissa = e < 0 ? unsigned : unsigned[..e];
        long exponent = 0;
        if (e >= 0 && (!long.TryParse(unsigned[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
            || Math.Abs(exponent) > int.MaxValue / 2))
        {
            return null;
        }

        var point = mantissa.IndexOf('.');
        var integer = point < 0 ? mantissa : mantissa[..point];
        var fraction = point < 0 ? "" : mantissa[(point + 1)..];
        var digits = integer + fraction;
        var pointAt = integer.Length + exponent; // where the decimal point falls in digits
        var scale = Math.Max(0, fraction.Length - exponent);
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        var isZero = leadingZeros == digits.Length;
        var integerLength = isZero || pointAt <= leadingZeros ? 1 : pointAt - leadingZeros;
        var length = (negative && !isZero ? 1 : 0) + integerLength + (scale > 0 ? 1 + scale : 0);
        if (length > MaxNumberLength)
        {
            return null;
        }

        var integerDigits = pointAt <= 0 ? "" : pointAt <= digits.Length ? digits[..(int)pointAt] : digits + new string('0', (int)pointAt - digits.Length);
        var fractionDigits = scale == 0 ? "" : pointAt < 0 ? new string('0', (int)-pointAt) + digits : digits[(int)pointAt..];
        var trimmed = integerDigits.TrimStart('0');
        return (negative && !isZero ? "-" : "") + (trimmed.Length == 0 ? "0" : trimmed) + (scale > 0 ? "." + fractionDigits : "");
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,63}$")]
    private static partial Regex KeyPattern();
}
