namespace Hypermedia.Querying.Tests;

public sealed class Account
{
    public long Id { get; set; }

    public string Slug { get; set; } = "";
}

public sealed class Contact
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string? BusinessName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public int Count { get; set; }

    public bool Blocked { get; set; }

    public bool? Verified { get; set; }

    public decimal Balance { get; set; }

    public double? Score { get; set; }

    public Guid Uid { get; set; }

    public string Status { get; set; } = "active";

    public long AccountId { get; set; }

    public Account Account { get; set; } = null!;
}

/// <summary>The query model and a small data set whose rows differ in every filterable property.</summary>
public static class Contacts
{
    public static readonly Guid AliceUid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    public static readonly QueryModel<Contact> Model = new QueryModel<Contact>("Contact")
        .Property("id", c => c.Id)
        .Property("name", c => c.Name)
        .Property("businessName", c => c.BusinessName)
        .Property("createdAt", c => c.CreatedAt)
        .Property("deletedAt", c => c.DeletedAt)
        .Property("updatedAt", c => c.UpdatedAt)
        .Property("count", c => c.Count)
        .Property("blocked", c => c.Blocked)
        .Property("verified", c => c.Verified)
        .Property("balance", c => c.Balance)
        .Property("score", c => c.Score)
        .Property("uid", c => c.Uid)
        .Property("status", c => c.Status)
        .Property("account", c => c.Account.Slug);

    private static readonly Account North = new() { Id = 1, Slug = "north" };
    private static readonly Account South = new() { Id = 2, Slug = "south" };
    private static readonly Account East = new() { Id = 3, Slug = "east" };

    public static List<Contact> All() =>
    [
        new()
        {
            Id = 1, Name = "Alice", BusinessName = "Acme Corp", CreatedAt = Utc(2024, 1, 1), DeletedAt = null,
            UpdatedAt = new DateTime(2024, 1, 1, 8, 0, 0, DateTimeKind.Utc), Count = 5, Blocked = false, Verified = true,
            Balance = 10.50m, Score = 1.5, Uid = AliceUid, Status = "active", Account = North,
        },
        new()
        {
            Id = 2, Name = "bob", BusinessName = null, CreatedAt = Utc(2023, 12, 31, 23, 30), DeletedAt = Utc(2024, 2, 1),
            UpdatedAt = new DateTime(2024, 2, 1, 0, 0, 0, DateTimeKind.Utc), Count = 0, Blocked = true, Verified = null,
            Balance = 0m, Score = null, Uid = Guid.NewGuid(), Status = "blocked", Account = South,
        },
        new()
        {
            Id = 3, Name = "O'Brien", BusinessName = "O'Brien & Sons", CreatedAt = new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.FromHours(2)),
            DeletedAt = null, UpdatedAt = new DateTime(2023, 6, 1, 0, 0, 0, DateTimeKind.Utc), Count = 12, Blocked = false, Verified = false,
            Balance = -3.25m, Score = 7.0, Uid = Guid.NewGuid(), Status = "active", Account = North,
        },
        new()
        {
            Id = 4, Name = "  Carol  ", BusinessName = "carol ltd", CreatedAt = Utc(2024, 3, 15, 8), DeletedAt = new DateTimeOffset(2024, 3, 16, 0, 0, 0, TimeSpan.FromHours(-5)),
            UpdatedAt = new DateTime(2024, 3, 15, 8, 0, 0, DateTimeKind.Utc), Count = 12, Blocked = false, Verified = true,
            Balance = 100m, Score = 2.0, Uid = Guid.NewGuid(), Status = "pending", Account = East,
        },
        new()
        {
            Id = 5, Name = "Dave", BusinessName = "", CreatedAt = Utc(2024, 1, 2), DeletedAt = null,
            UpdatedAt = new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc), Count = -1, Blocked = true, Verified = false,
            Balance = 10.5m, Score = -0.5, Uid = Guid.NewGuid(), Status = "active", Account = South,
        },
    ];

    public static ParsedQuery<Contact> Parse(params (string Name, string? Value)[] options) =>
        ODataQuery.Parse(Model, options.Select(o => new KeyValuePair<string, string?>(o.Name, o.Value)));

    public static ParsedQuery<Contact> Parse(QueryLimits limits, params (string Name, string? Value)[] options) =>
        ODataQuery.Parse(Model, options.Select(o => new KeyValuePair<string, string?>(o.Name, o.Value)), limits);

    /// <summary>Ids of the rows matching <paramref name="filter"/>, ascending, as "1,3".</summary>
    public static string Filter(string filter)
    {
        var query = Parse(("$filter", filter));
        return string.Join(",", query.ApplyFilter(All().AsQueryable()).Select(c => c.Id).Order());
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
