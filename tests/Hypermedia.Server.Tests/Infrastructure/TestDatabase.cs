using Hypermedia.Server.Platform.LocalPostgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run (started from the machine's server
/// binaries in a temp folder, stopped at exit); each test class gets a database of its own.
/// </summary>
public static class TestDatabase
{
    private static readonly Lazy<Task<LocalPostgresCluster>> Cluster = new(StartAsync);
    private static int databaseCounter;

    public static async Task<string> CreateDatabaseAsync()
    {
        var cluster = await Cluster.Value;
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref databaseCounter)}";
        return await cluster.CreateDatabaseAsync(name);
    }

    private const string DirectoryPrefix = "hypermedia-tests-";

    private static async Task<LocalPostgresCluster> StartAsync()
    {
        RemoveStaleClusters();
        var directory = Path.Combine(Path.GetTempPath(), DirectoryPrefix + Guid.NewGuid().ToString("N")[..8]);
        var cluster = await LocalPostgresCluster.StartAsync(
            new LocalPostgresOptions { DataDirectory = directory, Ephemeral = true, Database = "postgres_tests" },
            NullLogger.Instance);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.StopAsync().GetAwaiter().GetResult();
            TryDelete(directory);
        };
        return cluster;
    }

    /// <summary>
    /// The test host may be ended before its exit handler finishes deleting; earlier runs' clusters that
    /// are no longer running (no postmaster.pid) are removed here so /tmp does not fill up. A cluster
    /// another test run is starting at this moment has no postmaster.pid yet but holds its start lock.
    /// </summary>
    private static void RemoveStaleClusters()
    {
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*")
                     .Where(d => !File.Exists(Path.Combine(d, "postmaster.pid")) && !IsBeingStarted(d)))
        {
            TryDelete(stale);
        }
    }

    private static bool IsBeingStarted(string directory)
    {
        try
        {
            // The same advisory lock LocalPostgresCluster holds while it runs initdb and starts the server.
            using var _ = new FileStream(directory + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
            File.Delete(directory + ".lock");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless; the next run tries again.
        }
    }
}
