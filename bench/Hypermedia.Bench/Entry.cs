namespace Hypermedia.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Hypermedia.Bench</c>: contacts at 100,000 (in memory);
/// add <c>-- http</c> for the HTTP benchmark against a bare Kestrel + Npgsql baseline (needs wrk; bench/http.sh installs it);
/// add <c>-- bulk [--runs N]</c> for a 10,000-recipient bulk send (time to the 202, fan-out rate) against raw batched inserts.
/// </summary>
public static class Entry
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "http")
        {
            return await HttpBenchmark.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "bulk")
        {
            return await BulkSends.RunAsync(args[1..]);
        }

        await Benchmark.RunAsync();
        return 0;
    }
}
