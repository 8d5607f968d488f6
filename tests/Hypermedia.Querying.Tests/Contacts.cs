using System.Linq.Expressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

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

    public static readonly QueryModel<Contact> Model = QueryModel.Create<Contact, ContactRow>("Contact", c => new ContactRow
    {
        Entity = c,
        Id = c.Id,
        Name = c.Name,
        BusinessName = c.BusinessName,
        CreatedAt = c.CreatedAt,
        DeletedAt = c.DeletedAt,
        UpdatedAt = c.UpdatedAt,
        Count = c.Count,
        Blocked = c.Blocked,
        Verified = c.Verified,
        Balance = c.Balance,
        Score = c.Score,
        Uid = c.Uid,
        Status = c.Status,
        Account = c.Account.Slug,
    });

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

    public static ParsedQuery<Contact> Parse(params (string Name, string? Value)[] options) => Parse(QueryLimits.Default, options);

    public static ParsedQuery<Contact> Parse(QueryLimits limits, params (string Name, string? Value)[] options) =>
        ODataQuery.Parse(Model, Request(options), limits);

    /// <summary>A request whose query holds exactly these options (a repeated name gets several values), unencoded.</summary>
    public static HttpRequest Request(params (string Name, string? Value)[] options)
    {
        var context = new DefaultHttpContext();
        context.Request.Query = new QueryCollection(options
            .GroupBy(o => o.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => new StringValues([.. g.Select(o => o.Value)]), StringComparer.OrdinalIgnoreCase));
        return context.Request;
    }

    /// <summary>The filter as EF Core receives it (no in-memory null guards).</summary>
    public static Expression FilterTree(string filter)
    {
        using var db = new TranslationDb();
        return Parse(("$filter", filter)).ApplyFilter(db.Contacts).Expression;
    }

    /// <summary>Ids of the rows matching <paramref name="filter"/>, ascending, as "1,3".</summary>
    public static string Filter(string filter)
    {
        var query = Parse(("$filter", filter));
        return string.Join(",", query.ApplyFilter(All().AsQueryable()).Select(c => c.Id).Order());
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}

/// <summary>What clients may filter and order contacts by: the JSON names, over the entity's members.</summary>
public sealed class ContactRow : QueryRow<Contact>
{
    public long Id { get; init; }

    public required string Name { get; init; }

    public string? BusinessName { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public int Count { get; init; }

    public bool Blocked { get; init; }

    public bool? Verified { get; init; }

    public decimal Balance { get; init; }

    public double? Score { get; init; }

    public Guid Uid { get; init; }

    public required string Status { get; init; }

    public required string Account { get; init; }
}
