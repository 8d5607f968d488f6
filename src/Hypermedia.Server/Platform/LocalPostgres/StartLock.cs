namespace Hypermedia.Server.Platform.LocalPostgres;

/// <summary>
/// An exclusive lock on <c>&lt;data directory&gt;.lock</c>, held while a cluster is initialized and started, so
/// concurrent starters (test classes in parallel, or two processes) never both run initdb or pg_ctl start.
/// It sits next to the data directory because initdb requires that directory to be empty.
/// </summary>
internal sealed class StartLock : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly FileStream file;

    private StartLock(FileStream file) => this.file = file;

    public static async Task<StartLock> AcquireAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var path = dataDirectory + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                // FileShare.None takes an advisory flock on Unix, which also excludes other handles in this process.
                return new StartLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
            catch (IOException e)
            {
                throw new TimeoutException(
                    $"Could not lock {path} within {Patience.TotalMinutes:0} minutes; is another process stuck starting the"
                    + $" PostgreSQL cluster in {dataDirectory}? {e.Message}",
                    e);
            }
        }
    }

    public ValueTask DisposeAsync() => file.DisposeAsync();
}
