using Hypermedia.Server.Platform.LocalPostgres;
using Npgsql;
using Xunit.Abstractions;

namespace Hypermedia.Server.Tests.Platform.LocalPostgres;

public sealed class LocalPostgresClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ephemeral_cluster_starts_serves_is_reused_and_stops()
    {
        await using var scratch = ScratchClusterDirectory.Create(output);
        var logger = new TestOutputLogger(output);
        var options = new LocalPostgresOptions { DataDirectory = scratch.DataDirectory, Ephemeral = true };

        await using var cluster = await LocalPostgresCluster.StartAsync(options, logger);

        Assert.Equal(scratch.DataDirectory, cluster.DataDirectory);
        Assert.Contains(logger.Lines, line => line.StartsWith("Information:", StringComparison.Ordinal)
            && line.Contains(scratch.DataDirectory, StringComparison.Ordinal)
            && line.Contains($"127.0.0.1:{cluster.Port}", StringComparison.Ordinal));
        var settings = new NpgsqlConnectionStringBuilder(cluster.ConnectionString);
        Assert.Equal(("127.0.0.1", cluster.Port, "hypermedia", "hypermedia", null),
            (settings.Host, settings.Port, settings.Username, settings.Database, settings.Password));

        Assert.Equal(1, await ScalarAsync<int>(cluster.ConnectionString, "select 1"));
        Assert.Equal("127.0.0.1", await ScalarAsync<string>(cluster.ConnectionString, "show listen_addresses"));
        Assert.Equal("off", await ScalarAsync<string>(cluster.ConnectionString, "show fsync"));

        var second = await cluster.CreateDatabaseAsync("second_db");
        Assert.Equal("second_db", await ScalarAsync<string>(second, "select current_database()"));
        Assert.Equal(second, await cluster.CreateDatabaseAsync("second_db"));

        await using (var reused = await LocalPostgresCluster.StartAsync(options, logger))
        {
            Assert.Equal(cluster.Port, reused.Port);
            Assert.Equal(cluster.ConnectionString, reused.ConnectionString);
        }

        // Disposing the instance that merely reused the server must leave it running.
        Assert.Equal(1, await ScalarAsync<int>(cluster.ConnectionString, "select 1"));

        await cluster.StopAsync();
        Assert.False(File.Exists(Path.Combine(scratch.DataDirectory, "postmaster.pid")));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync<int>(cluster.ConnectionString, "select 1"));

        // A later start of the same directory comes back on the remembered port, with its databases.
        await using var restarted = await LocalPostgresCluster.StartAsync(options, logger);
        Assert.Equal(cluster.Port, restarted.Port);
        Assert.Equal("second_db", await ScalarAsync<string>(second, "select current_database()"));
    }

    [Fact]
    public async Task Bin_directory_without_binaries_says_how_to_install_them()
    {
        await using var scratch = ScratchClusterDirectory.Create(output);
        var emptyBin = Directory.CreateDirectory(Path.Combine(scratch.Root, "bin")).FullName;
        var options = new LocalPostgresOptions { DataDirectory = scratch.DataDirectory, BinDirectory = emptyBin };

        var error = await Assert.ThrowsAsync<PostgresBinariesNotFoundException>(
            () => LocalPostgresCluster.StartAsync(options, new TestOutputLogger(output)));

        Assert.Contains("apt-get install", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Hypermedia", error.Message, StringComparison.Ordinal);
        Assert.Contains(emptyBin, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(scratch.DataDirectory));
    }

    /// <summary>Unpooled, so a stopped server is noticed at once rather than through a stale pooled connection.</summary>
    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(unpooled);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
