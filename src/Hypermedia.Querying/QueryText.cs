namespace Hypermedia.Querying;

/// <summary>
/// Cheap lexical checks on a raw option value, run before ODL sees it: ODL's parser and binder recurse,
/// so a value that is obviously too big or too deep is refused here instead of costing stack and time there.
/// </summary>
internal static class QueryText
{
    /// <summary>Terms: identifiers, literals and operators; parentheses and commas are not counted.</summary>
    public readonly record struct Shape(int Terms, int MaxNesting, int TopLevelItems);

    /// <summary>Index of the first character that has no business in a query (NUL and other controls, broken UTF-16), or -1.</summary>
    public static int FindInvalidCharacter(string text)
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

    public static Shape Measure(string text)
    {
        int terms = 0, depth = 0, maxDepth = 0, commas = 0;
        var inTerm = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\'' or '"')
            {
                terms += inTerm ? 0 : 1;
                i = EndOfQuoted(text, i);
                inTerm = false;
                continue;
            }

            if (c is '(' or '[')
            {
                maxDepth = Math.Max(maxDepth, ++depth);
            }
            else if (c is ')' or ']')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (c == ',')
            {
                commas += depth == 0 ? 1 : 0;
            }
            else if (!char.IsWhiteSpace(c))
            {
                terms += inTerm ? 0 : 1;
                inTerm = true;
                continue;
            }

            inTerm = false;
        }

        return new Shape(terms, maxDepth, commas + 1);
    }

    /// <summary>
    /// Where <paramref name="token"/> occurs as a whole word outside string literals. With <paramref name="unique"/>,
    /// only when it occurs exactly once, because reporting the wrong occurrence would mislead the client.
    /// </summary>
    public static int? FindToken(string text, string token, bool unique = false)
    {
        int? found = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\'' or '"')
            {
                i = EndOfQuoted(text, i);
                continue;
            }

            // Word boundaries matter only where the token itself starts or ends with a word character ("@" in "@p").
            if (string.CompareOrdinal(text, i, token, 0, token.Length) == 0
                && (i == 0 || !IsWordChar(token[0]) || !IsWordChar(text[i - 1]))
                && (i + token.Length >= text.Length || !IsWordChar(token[^1]) || !IsWordChar(text[i + token.Length])))
            {
                if (!unique)
                {
                    return i;
                }

                if (found is not null)
                {
                    return null;
                }

                found = i;
            }
        }

        return found;
    }

    /// <summary>Start (first non-blank character) of the top-level comma-separated item number <paramref name="index"/>.</summary>
    public static int? ItemStart(string text, int index)
    {
        var depth = 0;
        var item = 0;
        var start = 0;
        for (var i = 0; i < text.Length && item < index; i++)
        {
            switch (text[i])
            {
                case '\'' or '"': i = EndOfQuoted(text, i); break;
                case '(' or '[': depth++; break;
                case ')' or ']': depth = Math.Max(0, depth - 1); break;
                case ',' when depth == 0: item++; start = i + 1; break;
            }
        }

        if (item < index)
        {
            return null;
        }

        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        return start;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' or '.';

    // OData doubles a single quote inside '...'; the JSON-like lists of 'in' may also use "..." with backslash escapes.
    private static int EndOfQuoted(string text, int start)
    {
        var quote = text[start];
        for (var i = start + 1; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return text.Length - 1;
    }
}
