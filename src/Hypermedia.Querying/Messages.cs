using System.Globalization;
using System.Text;

namespace Hypermedia.Querying;

/// <summary>Small helpers that keep client-facing messages short and safe to echo.</summary>
internal static class Messages
{
    private const int MaxEcho = 40;

    /// <summary>" at position 7", or nothing when the position is unknown.</summary>
    public static string At(int? position) => position is null ? "" : $" at position {position}";

    /// <summary>Echoes client text truncated, with control characters and broken UTF-16 made visible.</summary>
    public static string Echo(string? value, int maxLength = MaxEcho)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var builder = new StringBuilder();
        var shown = value.Length > maxLength ? value[..maxLength] : value;
        for (var i = 0; i < shown.Length; i++)
        {
            var c = shown[i];
            if (i + 1 < shown.Length && char.IsSurrogatePair(c, shown[i + 1]))
            {
                builder.Append(c).Append(shown[++i]);
            }
            else if (IsInvisible(c))
            {
                builder.Append($"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return value.Length > maxLength ? builder.Append("...").ToString() : builder.ToString();
    }

    public static string CharacterName(char c) => $"U+{(int)c:X4}";

    // Controls, bidi overrides, zero-width and unassigned characters could hide or reorder the message when displayed.
    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
