namespace Hypermedia.Server.Platform.LocalPostgres;

/// <summary>No initdb/pg_ctl could be found; the message says how to install them or how to do without.</summary>
public sealed class PostgresBinariesNotFoundException : Exception
{
    public PostgresBinariesNotFoundException()
        : this(Describe([]))
    {
    }

    public PostgresBinariesNotFoundException(string message)
        : base(message)
    {
    }

    public PostgresBinariesNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static string Describe(IReadOnlyList<string> searched)
    {
        var where = searched.Count == 0 ? "" : $" Looked in: {string.Join("; ", searched)}.";
        return "PostgreSQL server binaries (initdb and pg_ctl) were not found, so no private database cluster can be started."
            + where
            + " Install them with `apt-get install -y postgresql` (Debian/Ubuntu), or point LocalPostgresOptions.BinDirectory"
            + " or the PG_BIN environment variable at the directory that holds initdb and pg_ctl."
            + " Alternatively set ConnectionStrings:Hypermedia to point to an existing PostgreSQL server instead.";
    }
}
