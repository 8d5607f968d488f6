using System.Text;

namespace Hypermedia.Server.Features.Attachments;

/// <summary>
/// The file types a message may carry (TextUs: .png, .jpg/.jpeg, .gif, .rtf, .pdf, .ics, .vcf/.vcard), each
/// with the extension its blob key ends in and how its first bytes look. A file is accepted only when its
/// bytes are what its declared type says.
/// </summary>
public static class AttachmentTypes
{
    /// <summary>A file of this many bytes or more is refused (TextUs: "under 525KB").</summary>
    public const int SizeLimit = 525 * 1024;

    private sealed record FileType(string Extension, Func<ReadOnlyMemory<byte>, bool> Matches);

    private static readonly FileType Png = new("png", b => StartsWith(b, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]));
    private static readonly FileType Jpeg = new("jpg", b => StartsWith(b, [0xFF, 0xD8, 0xFF]));
    private static readonly FileType Gif = new("gif", b => StartsWithText(b, "GIF87a") || StartsWithText(b, "GIF89a"));
    private static readonly FileType Rtf = new("rtf", b => StartsWithText(b, @"{\rtf"));
    private static readonly FileType Pdf = new("pdf", b => StartsWithText(b, "%PDF-"));
    private static readonly FileType Calendar = new("ics", b => StartsWithWord(TextStart(b), "BEGIN:VCALENDAR"));
    private static readonly FileType VCard = new("vcf", b => StartsWithWord(TextStart(b), "BEGIN:VCARD"));

    private static readonly Dictionary<string, FileType> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/png"] = Png,
        ["image/jpeg"] = Jpeg,
        ["image/gif"] = Gif,
        ["application/rtf"] = Rtf,
        ["text/rtf"] = Rtf,
        ["application/pdf"] = Pdf,
        ["text/calendar"] = Calendar,
        ["text/vcard"] = VCard,
        ["text/x-vcard"] = VCard,
    };

    /// <summary>The accepted content types, for error messages and the documentation.</summary>
    public static readonly string AcceptedList = string.Join(", ", Types.Keys);

    /// <summary>The declared type in its canonical spelling (lower case, no parameters), or null when it is not accepted.</summary>
    public static string? Canonical(string? contentType)
    {
        var bare = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return bare is not null && Types.ContainsKey(bare) ? bare : null;
    }

    public static bool IsImage(string contentType) => contentType.StartsWith("image/", StringComparison.Ordinal);

    public static string Extension(string contentType) => Types[contentType].Extension;

    /// <summary>Whether the bytes are a file of the (canonical) declared type, by their magic numbers.</summary>
    public static bool Matches(string contentType, ReadOnlyMemory<byte> content) => Types[contentType].Matches(content);

    private static bool StartsWith(ReadOnlyMemory<byte> content, ReadOnlySpan<byte> magic) => content.Span.StartsWith(magic);

    private static bool StartsWithText(ReadOnlyMemory<byte> content, string magic) => content.Span.StartsWith(Encoding.ASCII.GetBytes(magic));

    /// <summary>iCalendar and vCard names are case-insensitive (RFC 5545, RFC 6350).</summary>
    private static bool StartsWithWord(ReadOnlyMemory<byte> content, string word) =>
        content.Length >= word.Length && Encoding.ASCII.GetString(content.Span[..word.Length]).Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>A text file's content after a UTF-8 byte order mark and leading white space.</summary>
    private static ReadOnlyMemory<byte> TextStart(ReadOnlyMemory<byte> content)
    {
        var start = content.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        while (start < content.Length && content.Span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        return content[start..];
    }
}
