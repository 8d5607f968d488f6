using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>
/// The built server (<c>Hypermedia.Server.dll</c>, as an operator runs it) in a process of its own, on a
/// loopback port the OS picks, against an existing, migrated database: for behaviour that must hold
/// across server processes sharing one database.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>A guard against a server that never starts, not a measure: a start takes a few seconds.</summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, string name)
    {
        this.process = process;
        Name = name;
    }

    public string Name { get; }

    public Uri Address { get; private set; } = null!;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved as received.</summary>
    public IReadOnlyList<string> Output => [.. output];

    /// <summary>
    /// Starts the server and returns once it listens; throws with its output if it exits or never listens.
    /// <paramref name="settings"/> are configuration keys (<c>Jobs:Storage</c>) that override the defaults below.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string name, string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = typeof(Program).Assembly.Location;
        var directory = Path.GetDirectoryName(dll)!;
        if (!File.Exists(Path.Combine(directory, "Hypermedia.Server.runtimeconfig.json")))
        {
            throw new InvalidOperationException($"{dll} has no runtimeconfig.json beside it; build the solution first.");
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            // appsettings.json and contexts/ are copied beside the dll; the content root is the working directory.
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_ENVIRONMENT", "LocalPostgres__Enabled" })
        {
            start.Environment.Remove(inherited);
        }

        // Production: no private cluster, no migrations, no demo seed; the test database is already migrated.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Hypermedia"] = connectionString;
        start.Environment["Database__MigrateOnStart"] = "false";
        start.Environment["Database__SeedDemo"] = "false";
        // Revocation is about authentication; the job engine's PostgreSQL storage is tested on its own (JobEngineTests).
        start.Environment["Jobs__Storage"] = "InMemory";
        start.Environment["RateLimit__PermitLimit"] = "100000";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var server = new ServerProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, name);
        await server.RunAsync();
        return server;
    }

    private async Task RunAsync()
    {
        process.OutputDataReceived += (_, e) => Receive(e.Data);
        process.ErrorDataReceived += (_, e) => Receive(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"{Name} exited with code {process.ExitCode} before listening."));
        process.Start();
        // A test host that is ended without disposing its fixtures must not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            Address = await listening.Task.WaitAsync(StartDeadline);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            await DisposeAsync();
            throw new InvalidOperationException($"{Name} did not start: {e.Message}\n{string.Join('\n', Output)}", e);
        }
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        if (ListeningOn().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();

    public HttpClient ClientWithToken(string token)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Asks the process to stop with SIGTERM, as an operator's restart does, and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(StartDeadline);
        await process.WaitForExitAsync(patience.Token);
    }

    /// <summary>Ends the process with SIGKILL, as a crash would: nothing of it runs after this returns.</summary>
    public async Task KillAsync()
    {
        KillOnExit(null, EventArgs.Empty);
        using var patience = new CancellationTokenSource(StartDeadline);
        await process.WaitForExitAsync(patience.Token);
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        KillOnExit(null, EventArgs.Empty);
        using var patience = new CancellationTokenSource(StartDeadline);
        await process.WaitForExitAsync(patience.Token);
        process.Dispose();
    }
}
