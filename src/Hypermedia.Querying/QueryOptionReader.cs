using Microsoft.AspNetCore.Http;

namespace Hypermedia.Querying;

/// <summary>
/// Checks the '$' options by name and size before the library parses them: options that do not fit JSON-LD documents
/// are refused by name, and a value that is empty, repeated or too long never reaches the parser.
/// </summary>
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

    /// <summary>The supported options present, by canonical (lower-case) name, in request order.</summary>
    public static List<string> Read(IQueryCollection query, QueryLimits limits)
    {
        var present = new List<string>();
        foreach (var (name, values) in query)
        {
            if (name.StartsWith('@'))
            {
                throw new QueryOptionException(name, $"Parameter aliases such as '{Messages.Echo(name)}' are not supported; write the value in the option.");
            }

            if (!name.StartsWith('$'))
            {
                continue;
            }

            // OData 4.01 treats system query option names case-insensitively, and so does the library.
            var canonical = name.ToLowerInvariant();
            if (!Supported.Contains(canonical))
            {
                var message = KnownUnsupported.Contains(canonical)
                    ? $"The query option '{Messages.Echo(name)}' is not supported; supported options are {SupportedList}."
                    : $"Unknown query option '{Messages.Echo(name)}'; supported options are {SupportedList}.";
                throw new QueryOptionException(name, message);
            }

            if (values.Count > 1 || present.Contains(canonical))
            {
                throw new QueryOptionException(canonical, $"The query option '{canonical}' appears more than once.");
            }

            CheckText(canonical, values.ToString(), limits);
            present.Add(canonical);
        }

        return present;
    }

    private static void CheckText(string option, string value, QueryLimits limits)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new QueryOptionException(option, $"{option} must not be empty.");
        }

        if (value.Length > limits.MaxOptionLength)
        {
            throw new QueryOptionException(option, $"{option} is too long; at most {limits.MaxOptionLength} characters are allowed.");
        }

        var alias = FindAlias(value);
        if (alias >= 0)
        {
            throw new QueryOptionException(option, $"Parameter aliases (@name) are not supported in {option}; found one at position {alias}.", alias);
        }

        var invalid = FindInvalidCharacter(value);
        if (invalid >= 0)
        {
            throw new QueryOptionException(option, $"Invalid character {Messages.CharacterName(value[invalid])} in {option} at position {invalid}.", invalid);
        }
    }

    /// <summary>Index of the first control character (other than blanks) or broken UTF-16 unit, or -1.</summary>
    private static int FindInvalidCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || c == '\u007f' || (c < ' ' && c is not ('\t' or '\r' or '\n')))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Index of an '@' outside string literals, or -1: an unresolved alias would bind as null.</summary>
    private static int FindAlias(string text)
    {
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\'')
            {
                inString = !inString; // '' inside a literal toggles twice, so it stays inside
            }
            else if (text[i] == '@' && !inString)
            {
                return i;
            }
        }

        return -1;
    }
}
