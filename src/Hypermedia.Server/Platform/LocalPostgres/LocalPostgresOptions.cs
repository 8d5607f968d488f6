namespace Hypermedia.Server.Platform.LocalPostgres;

/// <summary>Where and how <see cref="LocalPostgresCluster"/> runs its private PostgreSQL server.</summary>
public sealed class LocalPostgresOptions
{
    /// <summary>Cluster directory; a relative path resolves against the current directory.</summary>
    public string DataDirectory { get; set; } = ".data/postgres";

    /// <summary>
    /// 0 reuses the port remembered in the data directory (picking a free loopback port the first time);
    /// any other value is used as given and remembered.
    /// </summary>
    public int Port { get; set; }

    /// <summary>Database created (if missing) and named in <see cref="LocalPostgresCluster.ConnectionString"/>.</summary>
    public string Database { get; set; } = "hypermedia";

    /// <summary>Directory holding initdb and pg_ctl; overrides PG_BIN and the automatic search.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>
    /// Trade durability for speed (fsync, synchronous_commit and full_page_writes off): a crash can corrupt
    /// the cluster, which is fine for throwaway test data and never for a developer's database.
    /// </summary>
    public bool Ephemeral { get; set; }
}
