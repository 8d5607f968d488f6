using Hypermedia.Server.Platform.Errors;

namespace Hypermedia.Server.Platform.Collections;

/// <summary>
/// Free-text <c>q</c> parameters as SQL LIKE patterns, with the client's wildcards taken literally:
/// % and _ are escaped with <see cref="EscapeCharacter"/>, which every LIKE/ILIKE using a pattern from
/// here must name (Npgsql otherwise writes <c>ESCAPE ''</c>, and the escapes become literal backslashes).
/// </summary>
public static class SearchText
{
    public const int MaxLength = 100;

    public const string EscapeCharacter = "\\";

    public static string Contains(string q) => "%" + Escape(Checked(q)) + "%";

    private static string Checked(string q) =>
        q.Length <= MaxLength ? q.Trim() : throw ApiException.Invalid("q", $"must be at most {MaxLength} characters");

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
