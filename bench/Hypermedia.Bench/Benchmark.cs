using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Hypermedia.JsonLd;
using Npgsql;

namespace Hypermedia.Bench;

/// <summary>
/// Contacts at scale: 100,000 contacts in one account, measured through the real HTTP pipeline.
/// Every scenario is reported as a ratio to the first page of the same collection in the same run,
/// so the numbers hold on any machine.
/// </summary>
public static class Benchmark
{
    private const int ContactCount = 100_000;
    private const int Runs = 15;

    public static async Task RunAsync()
    {
        await using var cluster = await BenchCluster.StartAsync("hypermedia-bench");
        await using var app = new BenchApp(cluster.ConnectionString);
        var (account, token) = await app.SeedAccountAsync();
        Console.Error.WriteLine($"Seeding {ContactCount:N0} contacts…");
        // The same session settings as the app's connections, so the printed plans are the app's plans.
        await using var db = NpgsqlDataSource.Create(cluster.ConnectionString + ";Options=-c random_page_cost=1.1");
        await Seed.ContactsAsync(db, account.Id, ContactCount);

        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var middle = await Seed.RowAtAsync(db, account.Id, ContactCount / 2);
        var deepCursor = Uri.EscapeDataString(KeysetCursor.Encode("a", middle.Name, middle.Id.ToString(CultureInfo.InvariantCulture)));
        var slug = account.Slug;

        (string Name, string Url)[] scenarios =
        [
            ("first page (baseline)", $"/{slug}/contacts"),
            ("keyset page at row 50,000", $"/{slug}/contacts?cursor={deepCursor}"),
            ("offset page at row 50,000 ($skip)", $"/{slug}/contacts?$skip=50000"),
            ("q = name fragment", $"/{slug}/contacts?q=lovel"),
            ("q = phone digits", $"/{slug}/contacts?q=5550123"),
            ("$filter startswith(name)", $"/{slug}/contacts?$filter=" + Uri.EscapeDataString("startswith(name,'Ab')")),
            ("$filter name eq and createdAt gt", $"/{slug}/contacts?$filter=" + Uri.EscapeDataString("name eq 'Ada Lovelace' and createdAt gt 2024-01-01T00:00:00Z")),
            ("$orderby=createdAt desc", $"/{slug}/contacts?$orderby=" + Uri.EscapeDataString("createdAt desc")),
            ("$filter phones/any(p: p/phoneNumber eq …)", $"/{slug}/contacts?$filter=" + Uri.EscapeDataString("phones/any(p: p/phoneNumber eq '+13032004242')")),
            ("$filter data/tags/any(t: t eq 'vip')", $"/{slug}/contacts?$filter=" + Uri.EscapeDataString("data/tags/any(t: t eq 'vip')")),
            ("contact_phones q = digits", $"/{slug}/contact_phones?q=5550123"),
        ];

        var medians = new List<(string Name, double Milliseconds)>();
        foreach (var (name, url) in scenarios)
        {
            medians.Add((name, await MedianAsync(client, url)));
        }

        var baseline = medians[0].Milliseconds;
        Console.WriteLine($"| Scenario ({ContactCount:N0} contacts, median of {Runs}) | Median ms | Ratio to first page |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, ms) in medians)
        {
            Console.WriteLine(FormattableString.Invariant($"| {name} | {ms:F1} | {ms / baseline:F2} |"));
        }

        Console.WriteLine();
        Console.WriteLine("Plan (EXPLAIN) of the q name search:");
        Console.WriteLine(await Seed.ExplainAsync(db, account.Id, "lovel"));
    }

    private static async Task<double> MedianAsync(HttpClient client, string url)
    {
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync(url)).EnsureSuccessStatusCode();
        }

        var times = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await client.GetAsync(url);
            await response.Content.ReadAsByteArrayAsync();
            watch.Stop();
            response.EnsureSuccessStatusCode();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
