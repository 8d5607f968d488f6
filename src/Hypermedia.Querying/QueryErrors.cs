using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.OData;

namespace Hypermedia.Querying;

/// <summary>
/// Runs library work for one option and turns whatever it throws into a <see cref="QueryOptionException"/> for that
/// option. The library's messages are readable; we only drop advice meant for the server's developers and EDM
/// type prefixes, and list the known properties when a name is unknown.
/// </summary>
internal static partial class QueryErrors
{
    public static T Guard<T, TEntity>(string option, QueryModel<TEntity> model, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (QueryOptionException)
        {
            throw;
        }
        catch (ODataException error)
        {
            throw new QueryOptionException(option, Rewrite(option, error.Message, model), Position(error.Message), error);
        }
        catch (InvalidLiteralException error)
        {
            throw new QueryOptionException(option, $"A value in {option} cannot be computed: {Messages.Echo(error.Message, maxLength: 120)}", null, error);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            throw new QueryOptionException(option, $"{option} could not be applied to this collection.", null, error);
        }
    }

    /// <summary>Runs <paramref name="work"/>; any failure becomes <paramref name="message"/> (written only then).</summary>
    public static T Guard<T>(string option, Func<string> message, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            throw new QueryOptionException(option, message(), null, error);
        }
    }

    public static void Guard<TEntity>(string option, QueryModel<TEntity> model, Action work) =>
        Guard(option, model, () =>
        {
            work();
            return true;
        });

    private static string Rewrite<TEntity>(string option, string message, QueryModel<TEntity> model)
    {
        try
        {
            return RewriteUnguarded(option, message, model);
        }
        catch (RegexMatchTimeoutException)
        {
            return $"{option} could not be understood.";
        }
    }

    private static string RewriteUnguarded<TEntity>(string option, string message, QueryModel<TEntity> model)
    {
        var text = DeveloperAdvice().Replace(message, "");
        text = EdmPrefix().Replace(text, "");
        if (UnknownProperty().IsMatch(text))
        {
            text = $"{text.TrimEnd('.')}; {option} may use: {string.Join(", ", model.PropertyNames)}.";
        }

        // The library quotes the whole option value; quote a short prefix instead.
        var quoted = QuotedInput().Match(text);
        if (quoted.Success)
        {
            text = $"{quoted.Groups["head"].Value} in '{Messages.Echo(quoted.Groups["input"].Value)}'.";
        }

        return Messages.Echo(text.Trim(), maxLength: 400);
    }

    private static int? Position(string message)
    {
        var match = PositionInMessage().Match(message);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
    }

    [GeneratedRegex(@"\s*(To increase the limit|To allow it|'Max\w+' can be configured)[^.]*\.", RegexOptions.None, 200)]
    private static partial Regex DeveloperAdvice();

    [GeneratedRegex(@"\bEdm\.", RegexOptions.None, 200)]
    private static partial Regex EdmPrefix();

    [GeneratedRegex("^Could not find a property named", RegexOptions.None, 200)]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@"^(?<head>.*?) in '(?<input>.*)'\.?$", RegexOptions.Singleline, 200)]
    private static partial Regex QuotedInput();

    [GeneratedRegex(@"at position (\d{1,6})", RegexOptions.None, 200)]
    private static partial Regex PositionInMessage();
}
