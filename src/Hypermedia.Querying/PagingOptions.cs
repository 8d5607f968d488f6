using System.Globalization;

namespace Hypermedia.Querying;

/// <summary>$top, $skip and $count: plain values, parsed strictly (digits only; true or false).</summary>
internal static class PagingOptions
{
    public static int ParseTop(string value, QueryLimits limits) => ParseBounded("$top", value, limits.MaxTop);

    public static int ParseSkip(string value, QueryLimits limits) => ParseBounded("$skip", value, limits.MaxSkip);

    public static bool ParseCount(string value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => throw new QueryOptionException("$count", "$count must be true or false."),
    };

    // NumberStyles.None: no sign, no blanks, no thousands separators, ASCII digits only.
    private static int ParseBounded(string option, string value, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= max
            ? number
            : throw new QueryOptionException(option, $"{option} must be an integer between 0 and {max}.");
}
