using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Hypermedia.Server.Platform.LocalPostgres;

/// <summary>
/// A private PostgreSQL cluster run from the machine's server binaries, so the app and its tests work without
/// any database being configured. Listens on 127.0.0.1 only.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    internal const string PortFileName = "hypermedia.port";
    internal const string LogFileName = "server.log";
    private const string SuperUser = "hypermedia";
    private const string MaintenanceDatabase = "postgres";

    private static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Longer than pg_ctl's own -t, so its explanation arrives before we give up on it.</summary>
    private static readonly TimeSpan PgCtlTimeout = ServerTimeout + TimeSpan.FromSeconds(30);

    private static readonly TimeSpan InitDbTimeout = TimeSpan.FromSeconds(120);

    private readonly PostgresBinaries binaries;
    private readonly string? runAs;
    private readonly ILogger logger;

    /// <summary>1 while this instance started the server and has not stopped it yet.</summary>
    private int ownsServer;

    private LocalPostgresCluster(PostgresBinaries binaries, string? runAs, ILogger logger, string dataDirectory, int port, string database, bool ownsServer)
    {
        this.binaries = binaries;
        this.runAs = runAs;
        this.logger = logger;
        DataDirectory = dataDirectory;
        Port = port;
        ConnectionString = ConnectionStringFor(database);
        this.ownsServer = ownsServer ? 1 : 0;
    }

    /// <summary>Npgsql connection string to the options' database on 127.0.0.1, user "hypermedia", no password.</summary>
    public string ConnectionString { get; }

    /// <summary>Absolute path of the cluster directory.</summary>
    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>
    /// Finds the binaries, runs initdb if the directory holds no cluster, starts the server (or reuses one already
    /// running on that directory), creates the database if missing, and returns once a connection succeeds.
    /// </summary>
    /// <exception cref="PostgresBinariesNotFoundException">No initdb/pg_ctl were found.</exception>
    public static async Task<LocalPostgresCluster> StartAsync(LocalPostgresOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Database);

        var dataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory));
        // Before touching the disk, so a machine without PostgreSQL gets only the how-to-install message.
        var binaries = PostgresBinaries.Find(options.BinDirectory, ReadClusterVersion(dataDirectory));
        var runAs = PostgresSystemUser.RunAs;

        // Several test classes (or processes) may start the same cluster at once; only one may initdb/start it.
        await using var startLock = await StartLock.AcquireAsync(dataDirectory, cancellationToken);

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory);
        }
        else if (!Directory.Exists(dataDirectory))
        {
            // Only the cluster directory itself is private (PostgreSQL insists); the lock already created its parents
            // with default permissions, so the postgres user can walk through them.
            Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (runAs is not null)
        {
            await PostgresSystemUser.EnsureExistsAsync(logger, cancellationToken);
            await PostgresSystemUser.TakeOwnershipAsync(dataDirectory, cancellationToken);
        }

        var created = false;
        if (ReadClusterVersion(dataDirectory) is null)
        {
            await InitDbAsync(binaries, runAs, dataDirectory, options.Ephemeral, cancellationToken);
            created = true;
        }

        var version = ReadClusterVersion(dataDirectory) ?? "?";
        var runningPort = await RunningPortAsync(binaries, runAs, dataDirectory, cancellationToken);
        int port;
        if (runningPort is { } reused)
        {
            port = reused;
            if (options.Port != 0 && options.Port != reused)
            {
                logger.LogWarning(
                    "PostgreSQL in {DataDirectory} is already running on port {RunningPort}; using that instead of the configured {Port}",
                    dataDirectory, reused, options.Port);
            }
        }
        else
        {
            port = await ChoosePortAsync(options.Port, dataDirectory, runAs, logger, cancellationToken);
            await StartServerAsync(binaries, runAs, dataDirectory, port, options.Ephemeral, cancellationToken);
        }

        var cluster = new LocalPostgresCluster(binaries, runAs, logger, dataDirectory, port, options.Database, ownsServer: runningPort is null);
        try
        {
            await cluster.WaitUntilAcceptingConnectionsAsync(cancellationToken);
            await cluster.CreateDatabaseAsync(options.Database, cancellationToken);
        }
        catch
        {
            try
            {
                await cluster.StopAsync(CancellationToken.None);
            }
            catch (Exception stopError)
            {
                // The original failure is the one worth reporting.
                logger.LogWarning(stopError, "Could not stop PostgreSQL in {DataDirectory} after a failed start", dataDirectory);
            }

            throw;
        }

        if (runningPort is not null)
        {
            logger.LogInformation(
                "Using private PostgreSQL {Version} cluster already running in {DataDirectory} on 127.0.0.1:{Port}; it is left running afterwards",
                version, dataDirectory, port);
        }
        else
        {
            logger.LogInformation(
                "Started {Fresh}private PostgreSQL {Version} cluster in {DataDirectory} on 127.0.0.1:{Port} (set ConnectionStrings:Hypermedia to use another server)",
                created ? "new " : "", version, dataDirectory, port);
        }

        return cluster;
    }

    /// <summary>Creates database <paramref name="name"/> unless it exists, and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await using var connection = new NpgsqlConnection(AdminConnectionString());
        await connection.OpenAsync(ct);

        await using (var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = name });
            if (await exists.ExecuteScalarAsync(ct) is not null)
            {
                return ConnectionStringFor(name);
            }
        }

        // CREATE DATABASE takes no parameters, hence the quoted identifier.
        await using var create = new NpgsqlCommand($"create database \"{name.Replace("\"", "\"\"")}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Someone else created it between our check and now: that is what we wanted.
        }

        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server (pg_ctl stop -m fast) if this instance started it; otherwise does nothing.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref ownsServer, 0) == 0)
        {
            return;
        }

        try
        {
            var stop = await PgCtlAsync(binaries, runAs, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", Seconds(ServerTimeout)], ct);
            if (!stop.Succeeded && await IsRunningAsync(binaries, runAs, DataDirectory, ct))
            {
                throw new InvalidOperationException(
                    $"Could not stop PostgreSQL in {DataDirectory}: {stop.Output}{LogTail(DataDirectory)}");
            }
        }
        catch
        {
            // Still ours: a later StopAsync/DisposeAsync may try again.
            Interlocked.Exchange(ref ownsServer, 1);
            throw;
        }

        logger.LogInformation("Stopped private PostgreSQL cluster in {DataDirectory}", DataDirectory);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
    }.ConnectionString;

    /// <summary>Unpooled, so administrative connections do not linger in the server.</summary>
    private string AdminConnectionString() => new NpgsqlConnectionStringBuilder(ConnectionStringFor(MaintenanceDatabase))
    {
        Pooling = false,
        Timeout = 5,
    }.ConnectionString;

    /// <summary>
    /// pg_ctl -w only waits for the postmaster to report ready, and a reused server may still be starting up,
    /// so only a real connection proves the returned connection string works.
    /// </summary>
    private async Task WaitUntilAcceptingConnectionsAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString());
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException e) when (e is not PostgresException || e is PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow })
            {
                if (clock.Elapsed > ServerTimeout)
                {
                    throw new InvalidOperationException(
                        $"PostgreSQL in {DataDirectory} did not accept connections on 127.0.0.1:{Port} within {Seconds(ServerTimeout)} s: {e.Message}{LogTail(DataDirectory)}",
                        e);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    private static async Task InitDbAsync(PostgresBinaries binaries, string? runAs, string dataDirectory, bool ephemeral, CancellationToken cancellationToken)
    {
        // Trust authentication (no password) is acceptable only because the server listens on 127.0.0.1 alone and
        // its unix socket sits inside the owner-only data directory: it is a private development/test cluster.
        List<string> arguments =
        [
            "-D", dataDirectory, "--auth=trust", $"--username={SuperUser}", "--encoding=UTF8", "--locale=C",
        ];
        if (ephemeral)
        {
            arguments.Add("--no-sync");
        }

        var initDb = await ProcessRunner.RunAsync(binaries.InitDb, arguments, runAs, InitDbTimeout, cancellationToken);
        if (!initDb.Succeeded)
        {
            throw new InvalidOperationException(
                $"initdb could not create a PostgreSQL cluster in {dataDirectory} (`{initDb.CommandLine}` exited with {initDb.ExitCode}):"
                + Environment.NewLine + initDb.Output);
        }
    }

    private static async Task StartServerAsync(PostgresBinaries binaries, string? runAs, string dataDirectory, int port, bool ephemeral, CancellationToken cancellationToken)
    {
        // pg_ctl hands -o to /bin/sh, hence the shell quoting. Command-line settings beat postgresql.conf and
        // ALTER SYSTEM, so the cluster stays loopback-only whatever its configuration files say.
        var settings = new List<string>
        {
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            // In the data directory rather than /var/run/postgresql, which may not exist or be writable.
            "-k", ShellQuote(SocketDirectory(dataDirectory, port)),
        };
        if (ephemeral)
        {
            settings.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        var start = await PgCtlAsync(binaries, runAs,
        [
            "start", "-w", "-t", Seconds(ServerTimeout), "-D", dataDirectory,
            "-l", Path.Combine(dataDirectory, LogFileName), "-o", string.Join(' ', settings),
        ], cancellationToken);
        if (!start.Succeeded)
        {
            throw new InvalidOperationException(
                $"PostgreSQL could not be started in {dataDirectory} on 127.0.0.1:{port} (`{start.CommandLine}` exited with {start.ExitCode}):"
                + Environment.NewLine + start.Output + LogTail(dataDirectory));
        }
    }

    /// <summary>
    /// The data directory, unless the socket path would exceed the ~107 bytes a unix socket address allows; then no
    /// unix socket at all, as every client here uses TCP anyway.
    /// </summary>
    private static string SocketDirectory(string dataDirectory, int port) =>
        System.Text.Encoding.UTF8.GetByteCount($"{dataDirectory}/.s.PGSQL.{port}.lock") <= 100 ? dataDirectory : "";

    /// <summary>The port of the server running on <paramref name="dataDirectory"/>, or null if none is.</summary>
    private static async Task<int?> RunningPortAsync(PostgresBinaries binaries, string? runAs, string dataDirectory, CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        // A stale postmaster.pid (server gone) is not our problem: pg_ctl start detects and replaces it.
        if (!File.Exists(pidFile) || !await IsRunningAsync(binaries, runAs, dataDirectory, cancellationToken))
        {
            return null;
        }

        // Line 4 of postmaster.pid is the port, written as the postmaster starts.
        var lines = await File.ReadAllLinesAsync(pidFile, cancellationToken);
        if (lines.Length >= 4 && int.TryParse(lines[3].Trim(), CultureInfo.InvariantCulture, out var port) && port > 0)
        {
            return port;
        }

        throw new InvalidOperationException($"PostgreSQL is running in {dataDirectory}, but its postmaster.pid names no port.");
    }

    private static async Task<bool> IsRunningAsync(PostgresBinaries binaries, string? runAs, string dataDirectory, CancellationToken cancellationToken)
    {
        // Exit codes: 0 running, 3 not running, 4 no accessible data directory.
        var status = await PgCtlAsync(binaries, runAs, ["status", "-D", dataDirectory], cancellationToken);
        return status.ExitCode == 0;
    }

    private static async Task<int> ChoosePortAsync(int requested, string dataDirectory, string? runAs, ILogger logger, CancellationToken cancellationToken)
    {
        var portFile = Path.Combine(dataDirectory, PortFileName);
        var remembered = File.Exists(portFile)
            && int.TryParse((await File.ReadAllTextAsync(portFile, cancellationToken)).Trim(), CultureInfo.InvariantCulture, out var p)
            && p is > 0 and <= IPEndPoint.MaxPort
                ? p
                : (int?)null;

        int port;
        if (requested != 0)
        {
            port = requested;
        }
        else if (remembered is { } previous && IsFree(previous))
        {
            port = previous;
        }
        else
        {
            port = FreePort();
            if (remembered is not null)
            {
                logger.LogWarning(
                    "Port {Remembered} remembered for PostgreSQL in {DataDirectory} is taken by another program; moving to {Port}",
                    remembered, dataDirectory, port);
            }
        }

        if (port != remembered)
        {
            await File.WriteAllTextAsync(portFile, port.ToString(CultureInfo.InvariantCulture) + "\n", cancellationToken);
            if (runAs is not null)
            {
                await PostgresSystemUser.GiveFileAsync(portFile, cancellationToken);
            }
        }

        return port;
    }

    /// <summary>Lets the OS pick an unused loopback port; postgres binds it moments later.</summary>
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        // Like postgres itself: connections of a previous run lingering in TIME_WAIT do not make the port busy.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? ReadClusterVersion(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, "PG_VERSION");
        try
        {
            return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Task<ProcessResult> PgCtlAsync(PostgresBinaries binaries, string? runAs, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(binaries.PgCtl, arguments, runAs, PgCtlTimeout, cancellationToken);

    /// <summary>The end of server.log, where PostgreSQL explains why it would not start.</summary>
    internal static string LogTail(string dataDirectory, int lines = 30)
    {
        var log = Path.Combine(dataDirectory, LogFileName);
        try
        {
            if (!File.Exists(log))
            {
                return "";
            }

            var tail = File.ReadLines(log).TakeLast(lines).ToList();
            return tail.Count == 0
                ? ""
                : $"{Environment.NewLine}Last lines of {log}:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{Environment.NewLine}({log} could not be read: {e.Message})";
        }
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    private static string Seconds(TimeSpan span) => ((int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
