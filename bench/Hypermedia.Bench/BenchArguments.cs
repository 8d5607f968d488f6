using System.Globalization;

namespace Hypermedia.Bench;

/// <summary>The benches' command-line options: <c>--name value</c> pairs after the mode.</summary>
public static class BenchArguments
{
    public static int Option(string[] args, string name, int fallback) =>
        Text(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public static bool Flag(string[] args, string name) => Array.IndexOf(args, name) >= 0;

    public static string? Text(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
