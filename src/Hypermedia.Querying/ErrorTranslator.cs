using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.OData;

namespace Hypermedia.Querying;

/// <summary>
/// Turns whatever ODL throws into a <see cref="QueryOptionException"/> with a message an API client can act on.
/// ODL's own messages echo the whole input and use EDM type names, so the common ones are rewritten.
/// </summary>
internal static partial class ErrorTranslator
{
    private const int Timeout = 200;

    public static QueryOptionException Translate(string option, string text, Exception error, string knownProperties)
    {
        var (message, position) = error switch
        {
            ODataException => SafeFromOData(option, text, error.Message, knownProperties),
            OverflowException => ($"A number in {option} is out of range.", (int?)null),
            FormatException => ($"A literal in {option} is not valid.", null),
            _ => ($"{option} could not be understood.", null),
        };

        return new QueryOptionException(option, message, position, error);
    }

    // Translation itself must never throw: a regex timeout here would escape Parse.
    private static (string Message, int? Position) SafeFromOData(string option, string text, string raw, string knownProperties)
    {
        try
        {
            return FromOData(option, text, raw, knownProperties);
        }
        catch (RegexMatchTimeoutException)
        {
            return ($"{option} could not be understood.", null);
        }
    }

    private static (string Message, int? Position) FromOData(string option, string text, string raw, string knownProperties)
    {
        var position = Position(raw, text.Length);
        Match m;
        if ((m = PropertyNotFound().Match(raw)).Success)
        {
            var name = m.Groups["name"].Value;
            var at = QueryText.FindToken(text, name);
            return ($"Unknown property '{Messages.Echo(name)}' in {option}{Messages.At(at)}; known properties: {knownProperties}.", at);
        }

        if ((m = InvalidCharacter().Match(raw)).Success)
        {
            // ODL names half of a surrogate pair; show the whole character the client typed.
            var character = position is { } p && p + 1 < text.Length && char.IsSurrogatePair(text[p], text[p + 1])
                ? text.Substring(p, 2)
                : m.Groups["c"].Value;
            return ($"Invalid character '{Messages.Echo(character)}' in {option}{Messages.At(position)}.", position);
        }

        if (raw.StartsWith("There is an unterminated string literal", StringComparison.Ordinal))
        {
            return ($"Unterminated string literal in {option}{Messages.At(position)}; quote text as 'text' and double any quote inside it.", position);
        }

        if (raw.StartsWith("Syntax error at position", StringComparison.Ordinal)
            || raw.StartsWith("Expression expected at position", StringComparison.Ordinal)
            || raw.StartsWith("')' or operator expected", StringComparison.Ordinal)
            || raw.StartsWith("An identifier was expected", StringComparison.Ordinal))
        {
            return ($"Syntax error in {option}{Messages.At(position)}.", position);
        }

        if ((m = IncompatibleBinary().Match(raw)).Success)
        {
            var keyword = Operator(m.Groups["op"].Value);
            var at = QueryText.FindToken(text, keyword, unique: true);
            return ($"Operator '{keyword}' in {option}{Messages.At(at)} cannot combine {Describe(m.Groups["l"].Value)} with {Describe(m.Groups["r"].Value)}.", at);
        }

        if ((m = IncompatibleUnary().Match(raw)).Success)
        {
            var keyword = Operator(m.Groups["op"].Value);
            var at = QueryText.FindToken(text, keyword, unique: true);
            return ($"Operator '{keyword}' in {option}{Messages.At(at)} cannot be applied to {Describe(m.Groups["t"].Value)}.", at);
        }

        if (raw.Contains("must evaluate to a single", StringComparison.Ordinal))
        {
            return option == "$filter"
                ? ("$filter must be a condition that is true or false, e.g. name eq 'x'.", null)
                : ($"{option} accepts only property names, each optionally followed by asc or desc; known properties: {knownProperties}.", null);
        }

        // ODL 7.7.2 has no type check for 'has' on non-enum operands and fails with an internal error instead.
        if (raw.StartsWith("An internal error", StringComparison.Ordinal) && QueryText.FindToken(text, "has") is { } has)
        {
            return ($"Operator 'has' is not supported in {option} at position {has}.", has);
        }

        if (raw.Contains("is not a valid enumeration type constant", StringComparison.Ordinal))
        {
            return ($"Enumeration literals are not supported in {option}; compare with text instead, e.g. status eq 'active'.", null);
        }

        if ((m = UnknownFunction().Match(raw)).Success || (m = NoSignature().Match(raw)).Success)
        {
            var name = m.Groups["name"].Value;
            var at = QueryText.FindToken(text, name);
            return FilterFunctions.Names.Contains(name)
                ? ($"Function '{name}' in {option}{Messages.At(at)} was given arguments of the wrong number or type.", at)
                : ($"Unsupported function '{Messages.Echo(name)}' in {option}{Messages.At(at)}; supported functions: {string.Join(", ", FilterFunctions.Names)}.", at);
        }

        if ((m = BadDateTime().Match(raw)).Success)
        {
            var at = QueryText.FindToken(text, m.Groups["text"].Value);
            return ($"Invalid date-time '{Messages.Echo(m.Groups["text"].Value)}' in {option}{Messages.At(at)}; use e.g. 2024-01-31T12:00:00Z or 2024-01-31.", at);
        }

        if ((m = CannotConvert().Match(raw)).Success)
        {
            return ($"The value '{Messages.Echo(m.Groups["lit"].Value)}' in {option} is not {Describe(m.Groups["type"].Value)}.", null);
        }

        if (raw.Contains("Recursion depth exceeded", StringComparison.Ordinal))
        {
            return ($"{option} is nested too deeply.", null);
        }

        if (raw.Contains("Any/All", StringComparison.Ordinal))
        {
            return ($"any and all are not supported in {option}.", QueryText.FindToken(text, "any") ?? QueryText.FindToken(text, "all"));
        }

        if (raw.Contains("JSON", StringComparison.Ordinal) || raw.Contains("IN operation", StringComparison.Ordinal)
            || raw.StartsWith("String item should be", StringComparison.Ordinal) || raw.Contains("bracket", StringComparison.Ordinal)
            || raw.StartsWith("A null value was found", StringComparison.Ordinal))
        {
            var at = QueryText.FindToken(text, "in");
            return ($"Invalid value list for 'in' in {option}{Messages.At(at)}; use e.g. name in ('a', 'b') with literals of the property's type.", at);
        }

        return ($"{option} could not be understood{Messages.At(position)}.", position);
    }

    private static int? Position(string message, int length)
    {
        var m = PositionPattern().Match(message);
        return m.Success && int.TryParse(m.Groups["pos"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p)
            ? Math.Min(p, length)
            : null;
    }

    private static string Operator(string kind) => kind switch
    {
        "Equal" => "eq",
        "NotEqual" => "ne",
        "GreaterThan" => "gt",
        "GreaterThanOrEqual" => "ge",
        "LessThan" => "lt",
        "LessThanOrEqual" => "le",
        "And" => "and",
        "Or" => "or",
        "Not" => "not",
        "Negate" => "-",
        "Add" => "add",
        "Subtract" => "sub",
        "Multiply" => "mul",
        "Divide" => "div",
        "Modulo" => "mod",
        "Has" => "has",
        _ => Messages.Echo(kind),
    };

    // EDM type names mean nothing to most clients; say what kind of value it is.
    private static string Describe(string edmType) => edmType switch
    {
        "Edm.String" => "text",
        "Edm.Boolean" => "a boolean",
        "Edm.Int16" or "Edm.Int32" or "Edm.Int64" or "Edm.Byte" or "Edm.SByte" => "an integer",
        "Edm.Decimal" or "Edm.Double" or "Edm.Single" => "a number",
        "Edm.DateTimeOffset" => "a date-time",
        "Edm.Date" => "a date",
        "Edm.Guid" => "a guid",
        "Edm.Duration" => "a duration",
        "Edm.TimeOfDay" => "a time of day",
        "Edm.Binary" => "binary data",
        "" => "null",
        _ when edmType.StartsWith(EdmModelFactory.Namespace + ".", StringComparison.Ordinal) => "a whole resource",
        _ when edmType.StartsWith("Edm.Geo", StringComparison.Ordinal) => "a geographic value",
        _ => "a value of another type",
    };

    [GeneratedRegex(@"at position (?<pos>\d{1,9})", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PositionPattern();

    [GeneratedRegex(@"^Could not find a property named '(?<name>[^']*)'", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PropertyNotFound();

    [GeneratedRegex(@"^Syntax error: character '(?<c>.+?)' is not valid", RegexOptions.CultureInvariant | RegexOptions.Singleline, Timeout)]
    private static partial Regex InvalidCharacter();

    [GeneratedRegex(@"^A binary operator with incompatible types was detected\. Found operand types '(?<l>[^']*)' and '(?<r>[^']*)' for operator kind '(?<op>[^']*)'", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex IncompatibleBinary();

    [GeneratedRegex(@"^A unary operator with an incompatible type was detected\. Found operand type '(?<t>[^']*)' for operator kind '(?<op>[^']*)'", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex IncompatibleUnary();

    [GeneratedRegex(@"^An unknown function with name '(?<name>[^']*)'", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex UnknownFunction();

    [GeneratedRegex(@"^No function signature for the function with name '(?<name>[^']*)'", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex NoSignature();

    [GeneratedRegex(@"^The DateTimeOffset text '(?<text>[^']*)'", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex BadDateTime();

    [GeneratedRegex(@"^Cannot convert the literal '(?<lit>.*?)' to the expected type '(?<type>[^']*)'", RegexOptions.CultureInvariant | RegexOptions.Singleline, Timeout)]
    private static partial Regex CannotConvert();
}
