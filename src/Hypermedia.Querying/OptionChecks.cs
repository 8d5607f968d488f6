namespace Hypermedia.Querying;

/// <summary>Checks shared by $filter and $orderby, done on the raw text before ODL parses it.</summary>
internal static class OptionChecks
{
    public static void CheckText(string option, string value, QueryLimits limits)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new QueryOptionException(option, $"{option} must not be empty.");
        }

        if (value.Length > limits.MaxOptionLength)
        {
            throw new QueryOptionException(option, $"{option} is too long; at most {limits.MaxOptionLength} characters are allowed.");
        }

        var invalid = QueryText.FindInvalidCharacter(value);
        if (invalid >= 0)
        {
            throw new QueryOptionException(option, $"Invalid character {Messages.CharacterName(value[invalid])} in {option} at position {invalid}.", invalid);
        }
    }

    /// <summary>Runs ODL-facing work and maps anything it throws; only <see cref="QueryOptionException"/> may leave.</summary>
    public static T Guarded<T>(string option, string value, string knownProperties, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (QueryOptionException)
        {
            throw;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            throw ErrorTranslator.Translate(option, value, error, knownProperties);
        }
    }
}
