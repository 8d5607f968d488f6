namespace Hypermedia.Server.Platform.LocalPostgres;

/// <summary>Locates the initdb and pg_ctl executables of an installed PostgreSQL server.</summary>
internal sealed record PostgresBinaries(string InitDb, string PgCtl)
{
    /// <summary>Debian/Ubuntu install each major version side by side here, and not on PATH.</summary>
    internal const string DebianRoot = "/usr/lib/postgresql";

    /// <summary>
    /// Search order: <paramref name="binDirectory"/>, then PG_BIN, then the highest version under
    /// /usr/lib/postgresql/*/bin, then PATH. An explicit directory that lacks the binaries is an error rather
    /// than a reason to fall back, so a misconfiguration never silently runs some other version.
    /// </summary>
    /// <param name="clusterVersion">
    /// Major version of an existing cluster (its PG_VERSION). Under /usr/lib/postgresql that version wins over
    /// a newer one, because a server refuses to open another major version's files.
    /// </param>
    public static PostgresBinaries Find(string? binDirectory, string? clusterVersion = null)
    {
        if (!string.IsNullOrWhiteSpace(binDirectory))
        {
            return InDirectory(binDirectory) ?? throw NotFound($"{Path.GetFullPath(binDirectory)} (BinDirectory)");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("PG_BIN");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return InDirectory(fromEnvironment) ?? throw NotFound($"{Path.GetFullPath(fromEnvironment)} (PG_BIN)");
        }

        var installed = InstalledVersions();
        var chosen = installed.FirstOrDefault(v => v.Version == clusterVersion) ?? installed.FirstOrDefault();
        if (chosen is not null)
        {
            return chosen.Binaries;
        }

        var initDb = OnPath("initdb");
        var pgCtl = OnPath("pg_ctl");
        if (initDb is not null && pgCtl is not null)
        {
            return new PostgresBinaries(initDb, pgCtl);
        }

        throw NotFound($"{DebianRoot}/*/bin", "PATH");
    }

    private sealed record Installed(string Version, Version Order, PostgresBinaries Binaries);

    /// <summary>Versions under /usr/lib/postgresql that hold both binaries, newest first.</summary>
    private static List<Installed> InstalledVersions()
    {
        if (!Directory.Exists(DebianRoot))
        {
            return [];
        }

        var found = new List<Installed>();
        foreach (var versionDirectory in Directory.EnumerateDirectories(DebianRoot))
        {
            var name = Path.GetFileName(versionDirectory);
            // Names are "15" or, before PostgreSQL 10, "9.6"; Version needs two parts.
            if (Version.TryParse(name.Contains('.') ? name : name + ".0", out var order)
                && InDirectory(Path.Combine(versionDirectory, "bin")) is { } binaries)
            {
                found.Add(new Installed(name, order, binaries));
            }
        }

        return [.. found.OrderByDescending(v => v.Order)];
    }

    private static PostgresBinaries? InDirectory(string directory)
    {
        var initDb = Path.GetFullPath(Path.Combine(directory, "initdb"));
        var pgCtl = Path.GetFullPath(Path.Combine(directory, "pg_ctl"));
        return File.Exists(initDb) && File.Exists(pgCtl) ? new PostgresBinaries(initDb, pgCtl) : null;
    }

    private static string? OnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (Path.IsPathFullyQualified(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static PostgresBinariesNotFoundException NotFound(params string[] searched) =>
        new(PostgresBinariesNotFoundException.Describe(searched));
}
