using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Npgsql;

namespace Hypermedia.Bench;

/// <summary>
/// Requests per second of the real app on Kestrel over loopback against a bare Kestrel + Npgsql baseline doing
/// the same essential work, both driven by wrk (its own process) at the same concurrency in the same run;
/// also p50/p99 latency, allocations per request and the app's RSS under load.
/// </summary>
public static class HttpBenchmark
{
    private const int ContactCount = 1_000;
    private const int ConversationCount = 1_000;
    private const int TimelineDepth = 1_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = BenchArguments.Option(args, "--seconds", 10);
        var connections = BenchArguments.Option(args, "--connections", 32);
        // Scenarios whose name contains this text, for profiling one at a time; all by default.
        var only = BenchArguments.Text(args, "--only") ?? "";
        // Messages in the timeline conversation; 0 skips the conversation scenarios (and their seeding).
        var timelineMessages = BenchArguments.Option(args, "--timeline-messages", 100_000);
        if (!Wrk.IsInstalled())
        {
            await Console.Error.WriteLineAsync("wrk is missing: apt-get install -y wrk (bench/http.sh installs it).");
            return 1;
        }

        await using var cluster = await BenchCluster.StartAsync("hypermedia-http-bench");
        var results = new List<(string Scenario, WrkResult App, double AppAllocations, WrkResult Baseline, double BaselineAllocations)>();
        var appScenarios = new List<(string Name, string Path)>();
        var baselineScenarios = new List<string>();
        long rssKb;
        SendsResult? sends = null;
        string token;
        await using (var app = new BenchApp(cluster.ConnectionString))
        {
            var appPort = FreePort();
            app.UseKestrel(appPort);
            app.StartServer();
            var (account, issued) = await app.SeedAccountAsync();
            token = issued;
            await using var db = NpgsqlDataSource.Create(cluster.ConnectionString);
            await Seed.ContactsAsync(db, account.Id, ContactCount);
            var contactSlug = await Seed.SlugAtAsync(db, account.Id, ContactCount / 2);
            var next = await NextLinkAsync($"http://127.0.0.1:{appPort}/{account.Slug}/contacts", token);
            var last = await Seed.RowAtAsync(db, account.Id, 24);
            appScenarios.AddRange(
            [
                ("entry point", "/"),
                ("GET a contact by IRI", $"/contacts/{contactSlug}"),
                ("25-member contacts page", $"/{account.Slug}/contacts"),
                ("next page by cursor", next),
            ]);
            baselineScenarios.AddRange(
            [
                "/", $"/contacts/{contactSlug}", $"/{account.Slug}/contacts",
                $"/{account.Slug}/contacts?after_name={Uri.EscapeDataString(last.Name)}&after_id={last.Id}",
            ]);

            // Messages and timelines (issue 9): a conversation of 100,000 messages, and 1,000 more of one message each.
            var appBase = $"http://127.0.0.1:{appPort}";
            if (timelineMessages > 0)
            {
                await Console.Error.WriteLineAsync($"Seeding a conversation of {timelineMessages:N0} messages and {ConversationCount:N0} more…");
                var conversation = await Seed.TimelineAsync(db, account.Id, app.UserId, "+13035550199", "+13035550100", timelineMessages);
                await Seed.ConversationsAsync(db, account.Id, app.UserId, "+13035550100", ConversationCount);
                using var client = new HttpClient();
                client.DefaultRequestHeaders.Authorization = new("Bearer", token);
                var document = JsonNode.Parse(await client.GetStringAsync($"{appBase}/conversations/{conversation}"))!;
                var firstPage = (string)document["timeline"]!;
                var secondPage = (string)JsonNode.Parse(await client.GetStringAsync(appBase + firstPage))!["view"]!["next"]!;
                var deepPage = secondPage;
                for (var i = 2; i < TimelineDepth; i++)
                {
                    deepPage = (string)JsonNode.Parse(await client.GetStringAsync(appBase + deepPage))!["view"]!["next"]!;
                }

                var (position2, id2) = await Seed.TimelineRowAtAsync(db, conversation, 24);

                var (position, id) = await Seed.TimelineRowAtAsync(db, conversation, ((TimelineDepth - 1) * 25) - 1);
                var deepBaseline = $"/conversations/{conversation}/timeline?after_position={Uri.EscapeDataString(position.ToString("O", CultureInfo.InvariantCulture))}&after_id={id}";
                appScenarios.AddRange(
                [
                    ("timeline page 1 (100,000 messages)", firstPage),
                    // Page 2 is the first by cursor: against it, page 1,000 shows what depth costs, apart from the cursor's handling.
                    ("timeline page 2 (view.next × 1)", secondPage),
                    ($"timeline page {TimelineDepth:N0} (view.next × {TimelineDepth - 1})", deepPage),
                    ("GET a conversation", "/conversations/cv1"),
                    ("25-member conversations page", $"/{account.Slug}/conversations"),
                ]);
                baselineScenarios.AddRange(
                [
                    $"/conversations/{conversation}/timeline",
                    $"/conversations/{conversation}/timeline?after_position={Uri.EscapeDataString(position2.ToString("O", CultureInfo.InvariantCulture))}&after_id={id2}",
                    deepBaseline, "/conversations/cv1", $"/{account.Slug}/conversations",
                ]);
            }

            var chosen = appScenarios.Select((s, i) => (s.Name, s.Path, Index: i))
                .Where(s => s.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
            appScenarios = [.. chosen.Select(s => (s.Name, s.Path))];
            baselineScenarios = [.. chosen.Select(s => baselineScenarios[s.Index])];
            // The baseline serves alongside, and each scenario runs app then baseline back to back, so
            // both see the same machine: on shared cores the load drifts over a run.
            var basePort = FreePort();
            await using var baseline = new BaselineApp(cluster.ConnectionString, basePort);
            await baseline.StartAsync();
            var baseBase = $"http://127.0.0.1:{basePort}";
            await CheckSameDocumentsAsync(appBase, baseBase, appScenarios, baselineScenarios, token);
            for (var i = 0; i < appScenarios.Count; i++)
            {
                var (name, path) = appScenarios[i];
                // On stderr, for attaching a profiler (dotnet-trace) to the app's scenario.
                await Console.Error.WriteLineAsync($"app: {name} (pid {Environment.ProcessId})");
                var (result, allocations) = await MeasureAsync(appBase + path, token, connections, seconds);
                var (baseResult, baseAllocations) = await MeasureAsync(baseBase + baselineScenarios[i], token, connections, seconds);
                results.Add((name, result, allocations, baseResult, baseAllocations));
            }

            if ("sends accepted".Contains(only, StringComparison.OrdinalIgnoreCase))
            {
                sends = await Sends.RunAsync(app, db, appBase, baseBase, token, connections, seconds);
            }

            rssKb = PeakRssKb();
        }

        Console.WriteLine(FormattableString.Invariant(
            $"| Scenario (wrk, {connections} connections, {seconds} s) | App req/s | Baseline req/s | Ratio | App p50 / p99 ms | Baseline p50 / p99 ms | App KB allocated/req | Baseline KB/req |"));
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (scenario, app, appAlloc, baseline, baseAlloc) in results)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"| {scenario} | {app.RequestsPerSecond:F0} | {baseline.RequestsPerSecond:F0} | {app.RequestsPerSecond / baseline.RequestsPerSecond:F2} | {app.P50Ms:F2} / {app.P99Ms:F2} | {baseline.P50Ms:F2} / {baseline.P99Ms:F2} | {appAlloc / 1024:F1} | {baseAlloc / 1024:F1} |"));
            if (app.Non2xx > 0 || baseline.Non2xx > 0)
            {
                Console.WriteLine($"  ! non-2xx responses: app {app.Non2xx}, baseline {baseline.Non2xx}");
            }
        }

        if (results.Find(r => r.Scenario.StartsWith("timeline page 1 ", StringComparison.Ordinal)) is { Scenario: not null } first
            && results.Find(r => r.Scenario.StartsWith($"timeline page {TimelineDepth:N0}", StringComparison.Ordinal)) is { Scenario: not null } deep)
        {
            Console.WriteLine();
            Console.WriteLine(FormattableString.Invariant(
                $"Timeline page {TimelineDepth:N0} against page 1 (cost = 1 / req/s; target ≤ 1.2): app {first.App.RequestsPerSecond / deep.App.RequestsPerSecond:F2} (p50 {deep.App.P50Ms / first.App.P50Ms:F2}), baseline {first.Baseline.RequestsPerSecond / deep.Baseline.RequestsPerSecond:F2} (p50 {deep.Baseline.P50Ms / first.Baseline.P50Ms:F2})"));
            if (results.Find(r => r.Scenario.StartsWith("timeline page 2 ", StringComparison.Ordinal)) is { Scenario: not null } second)
            {
                Console.WriteLine(FormattableString.Invariant(
                    $"Timeline page {TimelineDepth:N0} against page 2 (both by cursor): app {second.App.RequestsPerSecond / deep.App.RequestsPerSecond:F2}, baseline {second.Baseline.RequestsPerSecond / deep.Baseline.RequestsPerSecond:F2}"));
            }
        }

        if (sends is not null)
        {
            Console.WriteLine();
            sends.Print(connections, seconds);
        }

        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"Peak RSS of the process while the app served (the bare baseline beside it adds a few MB): {rssKb / 1024.0:F0} MB"));
        return 0;
    }

    /// <summary>A short warm-up run, then the measured run; allocations are this process's, per request served.</summary>
    private static async Task<(WrkResult Result, double BytesPerRequest)> MeasureAsync(string url, string token, int connections, int seconds)
    {
        await Wrk.RunAsync(url, token, connections, Math.Max(1, seconds / 3));
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await Wrk.RunAsync(url, token, connections, seconds);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return (result, result.Requests == 0 ? 0 : (double)allocated / result.Requests);
    }

    /// <summary>
    /// Each scenario's app and baseline answers once, side by side: same status, first member's id and size within
    /// reason (the baseline writes no formatted numbers), so the baseline does the same work. Printed on stderr.
    /// </summary>
    private static async Task CheckSameDocumentsAsync(string appBase, string baseBase, List<(string Name, string Path)> app, List<string> baseline, string token)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        for (var i = 0; i < app.Count; i++)
        {
            var a = await client.GetAsync(appBase + app[i].Path);
            var b = await client.GetAsync(baseBase + baseline[i]);
            var aText = await a.Content.ReadAsStringAsync();
            var bText = await b.Content.ReadAsStringAsync();
            var aFirst = FirstId(aText);
            var bFirst = FirstId(bText);
            await Console.Error.WriteLineAsync(FormattableString.Invariant(
                $"check {app[i].Name}: app {(int)a.StatusCode} {aText.Length} chars, first {aFirst}; baseline {(int)b.StatusCode} {bText.Length} chars, first {bFirst}{(aFirst == bFirst && a.StatusCode == b.StatusCode ? "" : "  <-- MISMATCH")}"));
        }

        static string? FirstId(string text) =>
            JsonNode.Parse(text) is JsonObject o ? (string?)(o["members"] is JsonArray { Count: > 0 } m ? m[0]!["id"] : o["id"]) : null;
    }

    private static async Task<string> NextLinkAsync(string url, string token)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var page = JsonNode.Parse(await client.GetStringAsync(url))!;
        return (string)page["view"]!["next"]!;
    }

    private static long PeakRssKb() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).Single();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
