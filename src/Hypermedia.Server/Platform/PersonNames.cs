namespace Hypermedia.Server.Platform;

/// <summary>First and last name as TextUs derives them from one name field ("Cordell Walker" → Cordell / Walker).</summary>
public static class PersonNames
{
    public static (string? First, string? Last) Split(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return (null, null);
        }

        var space = trimmed.IndexOf(' ');
        return space < 0 ? (trimmed, null) : (trimmed[..space], trimmed[(space + 1)..].Trim());
    }
}
