namespace Hypermedia.Server.Platform.LocalPostgres;

/// <summary>
/// initdb, pg_ctl and postgres refuse to run as root, so a root process runs them as the unprivileged
/// <c>postgres</c> system user and hands it the data directory.
/// </summary>
internal static class PostgresSystemUser
{
    public const string Name = "postgres";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The user to run the server binaries as, or null to run them directly as ourselves.</summary>
    public static string? RunAs => Environment.UserName == "root" ? Name : null;

    /// <summary>Debian's postgresql package creates the user, but a minimal machine may only have the binaries.</summary>
    public static async Task EnsureExistsAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var lookup = await ProcessRunner.RunAsync("id", ["-u", Name], null, CommandTimeout, cancellationToken);
        if (lookup.Succeeded)
        {
            return;
        }

        var create = await ProcessRunner.RunAsync(
            "useradd", ["--system", "--no-create-home", Name], null, CommandTimeout, cancellationToken);
        if (!create.Succeeded)
        {
            throw new InvalidOperationException(
                $"Running as root, PostgreSQL must run as the '{Name}' system user, which does not exist and could not be created"
                + $" (`{create.CommandLine}` exited with {create.ExitCode}): {create.Output}");
        }

        logger.LogInformation("Created the '{User}' system user to run PostgreSQL (it refuses to run as root)", Name);
    }

    /// <summary>Makes <paramref name="dataDirectory"/> (which must exist) owned by, and reachable for, the postgres user.</summary>
    public static async Task TakeOwnershipAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        await ChownAsync(dataDirectory, recursive: true, cancellationToken);

        var reachable = await ProcessRunner.RunAsync(
            "test", ["-r", dataDirectory, "-a", "-w", dataDirectory, "-a", "-x", dataDirectory],
            Name, CommandTimeout, cancellationToken);
        if (reachable.Succeeded)
        {
            return;
        }

        // Ownership is fine after chown, so an ancestor must be blocking the way: name it.
        var ancestors = new List<string>();
        for (var dir = Path.GetDirectoryName(dataDirectory); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            ancestors.Insert(0, dir);
        }

        foreach (var ancestor in ancestors)
        {
            var traversable = await ProcessRunner.RunAsync("test", ["-x", ancestor], Name, CommandTimeout, cancellationToken);
            if (!traversable.Succeeded)
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL data directory {dataDirectory} is not reachable by the '{Name}' user that runs the server"
                    + $" (this process runs as root and PostgreSQL refuses to): {ancestor} is not traversable by it"
                    + $" (mode {Mode(ancestor)}). Choose a data directory outside it, or allow traversal with `chmod o+x {ancestor}`.");
            }
        }

        throw new InvalidOperationException(
            $"The PostgreSQL data directory {dataDirectory} is not readable and writable by the '{Name}' user"
            + $" even after `chown -R {Name}:`: {reachable.Output}");
    }

    /// <summary>Gives a file we wrote as root (e.g. the remembered port) to the postgres user, like the rest of the cluster.</summary>
    public static Task GiveFileAsync(string path, CancellationToken cancellationToken) =>
        ChownAsync(path, recursive: false, cancellationToken);

    private static async Task ChownAsync(string path, bool recursive, CancellationToken cancellationToken)
    {
        // "postgres:" means the user's login group, which exists however the user was created.
        string[] arguments = recursive ? ["-R", Name + ":", path] : [Name + ":", path];
        var chown = await ProcessRunner.RunAsync("chown", arguments, null, CommandTimeout, cancellationToken);
        if (!chown.Succeeded)
        {
            throw new InvalidOperationException($"Could not give {path} to the '{Name}' user: {chown.Output}");
        }
    }

    private static string Mode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return "unknown";
        }

        try
        {
            return Convert.ToString((int)File.GetUnixFileMode(path), 8);
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
