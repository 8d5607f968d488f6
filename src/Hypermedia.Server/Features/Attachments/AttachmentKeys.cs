using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Hypermedia.Server.Features.Attachments;

/// <summary>A blob's key: the SHA-256 of its bytes in lower-case hex, a dot, and its type's extension.</summary>
public static partial class AttachmentKeys
{
    public static string For(ReadOnlySpan<byte> content, string contentType) =>
        Convert.ToHexStringLower(SHA256.HashData(content)) + "." + AttachmentTypes.Extension(contentType);

    public static bool IsWellFormed(string key) => KeyPattern().IsMatch(key);

    [GeneratedRegex("^[0-9a-f]{64}\\.[a-z]{3,4}$")]
    private static partial Regex KeyPattern();
}
