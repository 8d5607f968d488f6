using System.Buffers.Text;
using System.Text.Json;

namespace Hypermedia.JsonLd;

/// <summary>
/// An opaque page cursor holding the sort key of the last row seen, so the next page is a
/// range query ("after this key") and page 1,000 costs what page 1 costs.
/// </summary>
public static class KeysetCursor
{
    private const int MaxLength = 512;

    public static string Encode(params string?[] keyValues) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(keyValues));

    /// <summary>Decodes a cursor made by <see cref="Encode"/>; false for anything else.</summary>
    public static bool TryDecode(string? cursor, int expectedCount, out string?[] keyValues)
    {
        keyValues = [];
        if (string.IsNullOrEmpty(cursor) || cursor.Length > MaxLength)
        {
            return false;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(cursor);
            var values = JsonSerializer.Deserialize<string?[]>(bytes);
            if (values is null || values.Length != expectedCount)
            {
                return false;
            }

            keyValues = values;
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }
}
