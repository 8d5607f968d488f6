namespace Hypermedia.Querying;

/// <summary>Picks the '$' options out of a query string and refuses the ones this library does not implement.</summary>
internal static class QueryOptionReader
{
    public const string Filter = "$filter";
    public const string OrderBy = "$orderby";
    public const string Top = "$top";
    public const string Skip = "$skip";
    public const string Count = "$count";

    private const string SupportedList = "$filter, $orderby, $top, $skip and $count";

    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal) { Filter, OrderBy, Top, Skip, Count };

    private static readonly HashSet<string> KnownUnsupported = new(StringComparer.Ordinal)
    {
        "$select", "$expand", "$search", "$apply", "$format", "$skiptoken", "$deltatoken", "$compute", "$index",
        "$levels", "$schemaversion", "$id", "$it", "$root", "$this",
    };

    /// <summary>Supported options by canonical (lower-case) name; the first value wins.</summary>
    public static Dictionary<string, string> Read(IEnumerable<KeyValuePair<string, string?>> queryString)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in queryString)
        {
            if (name is null || !name.StartsWith('$'))
            {
                continue;
            }

            // OData 4.01 treats system query option names case-insensitively.
            var canonical = name.ToLowerInvariant();
            if (!Supported.Contains(canonical))
            {
                var message = KnownUnsupported.Contains(canonical)
                    ? $"The query option '{Messages.Echo(name)}' is not supported; supported options are {SupportedList}."
                    : $"Unknown query option '{Messages.Echo(name)}'; supported options are {SupportedList}.";
                throw new QueryOptionException(name, message);
            }

            options.TryAdd(canonical, value ?? "");
        }

        return options;
    }
}
