using System.Text;

namespace Hypermedia.Querying;

/// <summary>Small helpers that keep client-facing messages short and safe to echo.</summary>
internal static class Messages
{
    private const int MaxEcho = 40;

    /// <summary>" at position 7", or nothing when the position is unknown.</summary>
    public static string At(int? position) => position is null ? "" : $" at position {position}";

    /// <summary>Echoes client text truncated, with control characters and broken UTF-16 made visible.</summary>
    public static string Echo(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var builder = new StringBuilder();
        foreach (var c in value.Length > MaxEcho ? value[..MaxEcho] : value)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append($"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return value.Length > MaxEcho ? builder.Append("...").ToString() : builder.ToString();
    }

    public static string CharacterName(char c) => $"U+{(int)c:X4}";
}
