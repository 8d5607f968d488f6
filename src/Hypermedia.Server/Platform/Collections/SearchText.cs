using Hypermedia.Server.Platform.Errors;

namespace Hypermedia.Server.Platform.Collections;

/// <summary>Free-text <c>q</c> parameters as SQL LIKE patterns, with the client's wildcards taken literally.</summary>
public static class SearchText
{
    public const int MaxLength = 100;

    public static string Contains(string q) => "%" + Escape(Checked(q)) + "%";

    private static string Checked(string q) =>
        q.Length <= MaxLength ? q.Trim() : throw ApiException.Invalid("q", $"must be at most {MaxLength} characters");

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
