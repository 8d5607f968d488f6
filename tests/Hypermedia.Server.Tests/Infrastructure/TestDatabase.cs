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

    private static async Task<LocalPostgresCluster> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hypermedia-tests-" + Guid.NewGuid().ToString("N")[..8]);
        var cluster = await LocalPostgresCluster.StartAsync(
            new LocalPostgresOptions { DataDirectory = directory, Ephemeral = true, Database = "postgres_tests" },
            NullLogger.Instance);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.StopAsync().GetAwaiter().GetResult();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
            catch (UnauthorizedAccessException)
            {
                // Same.
            }
        };
        return cluster;
    }
}
