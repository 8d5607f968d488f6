using Hypermedia.Server.Platform.LocalPostgres;
using Xunit.Abstractions;

namespace Hypermedia.Server.Tests.Platform.LocalPostgres;

/// <summary>
/// A fresh directory under /tmp for one test's cluster. Disposing it stops any server still running there (even
/// if the test failed before its own cleanup) and deletes everything.
/// </summary>
internal sealed class ScratchClusterDirectory : IAsyncDisposable
{
    private readonly ITestOutputHelper output;

    private ScratchClusterDirectory(string root, ITestOutputHelper output)
    {
        Root = root;
        this.output = output;
    }

    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public static ScratchClusterDirectory Create(ITestOutputHelper output)
    {
        var root = Path.Combine("/tmp", "hypermedia-pg-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows())
        {
            // World-traversable whatever the umask (and unlike CreateTempSubdirectory's 0700), because under root the
            // server runs as the postgres user.
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return new ScratchClusterDirectory(root, output);
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                var binaries = PostgresBinaries.Find(null);
                var stop = await ProcessRunner.RunAsync(binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w"],
                    PostgresSystemUser.RunAs, TimeSpan.FromSeconds(60), CancellationToken.None);
                output.WriteLine($"cleanup: {stop.CommandLine} -> {stop.ExitCode} {stop.Output}");
            }
            catch (Exception e)
            {
                output.WriteLine($"cleanup: could not stop the server in {DataDirectory}: {e}");
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
