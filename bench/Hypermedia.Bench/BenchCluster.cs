using Hypermedia.Server.Platform.LocalPostgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hypermedia.Bench;

/// <summary>
/// A throwaway PostgreSQL cluster for one benchmark run, in a directory of its own under the temp folder, with
/// durability traded for speed (<see cref="LocalPostgresOptions.Ephemeral"/>: fsync and synchronous commit off);
/// stopped and deleted when disposed. Dispose the app on it first.
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private readonly LocalPostgresCluster cluster;
    private readonly string directory;

    private BenchCluster(LocalPostgresCluster cluster, string directory)
    {
        this.cluster = cluster;
        this.directory = directory;
    }

    public string ConnectionString => cluster.ConnectionString;

    /// <summary>The server's log (LocalPostgresCluster starts it with <c>pg_ctl -l</c> into the cluster directory).</summary>
    public string LogPath => Path.Combine(cluster.DataDirectory, "server.log");

    /// <param name="name">The directory's prefix, e.g. <c>hypermedia-bench</c>.</param>
    public static async Task<BenchCluster> StartAsync(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), name + "-" + Guid.NewGuid().ToString("N")[..8]);
        var cluster = await LocalPostgresCluster.StartAsync(
            new LocalPostgresOptions { DataDirectory = directory, Ephemeral = true, Database = "bench" }, NullLogger.Instance);
        return new BenchCluster(cluster, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await cluster.StopAsync();
        Directory.Delete(directory, recursive: true);
    }
}
