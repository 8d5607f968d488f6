namespace Hypermedia.Server.Platform.Jobs;

/// <summary>Where Hangfire keeps its jobs: the app's PostgreSQL (default) or memory (tests that do not test durability).</summary>
public enum JobStorageKind
{
    PostgreSql,
    InMemory,
}

/// <summary>The <c>Jobs</c> configuration section.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Hangfire's schema in the app's database.</summary>
    public const string Schema = "hangfire";

    /// <summary>Where the jobs dashboard is served (resources link their jobs' pages under it).</summary>
    public const string DashboardPath = "/hangfire";

    public JobStorageKind Storage { get; set; } = JobStorageKind.PostgreSql;

    /// <summary>Workers per server; Hangfire's default (5 per core, at most 20) starves a small machine's request threads.</summary>
    public int Workers { get; set; } = Math.Clamp(Environment.ProcessorCount * 2, 2, 10);

    /// <summary>
    /// Attempts after the first failure. Hangfire's default is 10 blind attempts over about a day; a
    /// message send that failed five times over ~20 minutes is better surfaced as failed.
    /// </summary>
    public int RetryAttempts { get; set; } = 5;

    /// <summary>
    /// Seconds before each retry (the last value repeats); <see cref="DefaultRetryDelaysSeconds"/> when
    /// not configured. Null by default because the configuration binder appends to an array it finds.
    /// </summary>
    public int[]? RetryDelaysSeconds { get; set; }

    public static readonly int[] DefaultRetryDelaysSeconds = [10, 30, 120, 300, 900];

    /// <summary>How long a fetched job stays invisible to other servers without a heartbeat (sliding: a live job is never run twice).</summary>
    public int InvisibilityTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// Whether this process runs jobs. Off, it only enqueues them (a web-only process); the processes
    /// with it on, sharing the database, run them.
    /// </summary>
    public bool RunServer { get; set; } = true;

    /// <summary>How often workers look for jobs when no notification woke them (long polling wakes them at once).</summary>
    public int QueuePollSeconds { get; set; } = 15;

    /// <summary>How often delayed and scheduled jobs are looked for (Hangfire's default 15 s makes a scheduled send up to 15 s late).</summary>
    public int SchedulePollingSeconds { get; set; } = 1;
}
