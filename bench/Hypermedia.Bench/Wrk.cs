using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Hypermedia.Bench;

/// <summary>One wrk run: a fixed number of connections for a fixed time, from its own process.</summary>
public sealed record WrkResult(double RequestsPerSecond, long Requests, double P50Ms, double P99Ms, long Non2xx);

public static partial class Wrk
{
    public static bool IsInstalled() => File.Exists("/usr/bin/wrk");

    /// <summary>Runs wrk; with a <paramref name="script"/> (a Lua file) its requests are the script's (POSTs with JSON bodies).</summary>
    public static async Task<WrkResult> RunAsync(string url, string token, int connections, int seconds, string? script = null)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--latency",
            "-H", $"Authorization: Bearer {token}", "-H", "Accept: application/ld+json", url,
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (script is not null)
        {
            start.ArgumentList.Insert(0, "-s");
            start.ArgumentList.Insert(1, script);
            start.ArgumentList.Insert(2, "-H");
            start.ArgumentList.Insert(3, "Content-Type: application/json");
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed: {await process.StandardError.ReadToEndAsync()}");
        }

        return new WrkResult(
            Number(RequestsPerSecond(), output),
            (long)Number(Requests(), output),
            Milliseconds(Percentile("50"), output),
            Milliseconds(Percentile("99"), output),
            Non2xx().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    private static Regex Percentile(string p) => new($@"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);

    private static double Number(Regex regex, string output) =>
        double.Parse(regex.Match(output).Groups[1].Value, CultureInfo.InvariantCulture);

    private static double Milliseconds(Regex regex, string output)
    {
        var match = regex.Match(output);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();
}
