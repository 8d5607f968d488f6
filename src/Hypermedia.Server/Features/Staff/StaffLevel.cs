namespace Hypermedia.Server.Features.Staff;

/// <summary>
/// A server-level support role, separate from account roles. A viewer reads the jobs dashboard; an
/// operator also acts on jobs (requeue, delete, trigger) and has staff powers in the API (every
/// account and user, granting staff levels).
/// </summary>
public enum StaffLevel
{
    Viewer = 1,
    Operator = 2,
}

/// <summary>The levels' names as the API, the database and the command line write them.</summary>
public static class StaffLevels
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";

    public static readonly string[] Names = [Viewer, Operator];

    public static string Name(this StaffLevel level) => level switch
    {
        StaffLevel.Viewer => Viewer,
        StaffLevel.Operator => Operator,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    public static StaffLevel? Parse(string? name) => name switch
    {
        Viewer => StaffLevel.Viewer,
        Operator => StaffLevel.Operator,
        _ => null,
    };
}
