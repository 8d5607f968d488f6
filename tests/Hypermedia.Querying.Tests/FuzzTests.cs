using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Querying.Tests;

/// <summary>
/// Seeded random inputs: whatever the text, Parse either succeeds with a filter that runs in memory and
/// translates to SQL, or throws <see cref="QueryOptionException"/>. Nothing else may escape.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] Tokens =
    [
        "name", "count", "createdAt", "deletedAt", "updatedAt", "businessName", "blocked", "verified", "balance", "score", "uid", "id", "account", "nope",
        "eq", "ne", "gt", "lt", "ge", "le", "and", "or", "not", "in", "has", "add", "-", "asc", "desc",
        "(", ")", ",", "[", "]", "/", ":", ";", "'", "\"", "''", "@p", "$it", "$count",
        "'x'", "'O''B'", "''", "null", "true", "false", "0", "5", "-1", "4.5", "1e400", "NaN", "INF", "5L", "99999999999999999999",
        "2024-01-01", "2024-02-30", "2024-01-01T10:00:00+02:00", "2024-01-01T10:00:00Z", "0f8fad5b-d9cb-469f-a165-70867728950e",
        "contains(", "startswith(", "tolower(", "toupper(", "trim(", "length(", "substring(", "cast(", "isof(", "now()", "geo.distance(",
        "any(x:", "x", "duration'P1D'", "\0", "\ud800", "\u202e", "é", "😀", "  ",
    ];

    [Fact]
    public void Random_token_soup_only_throws_query_option_exceptions()
    {
        var random = new Random(20240101);
        using var db = new TranslationDb();
        var accepted = 0;
        for (var i = 0; i < 4000; i++)
        {
            var count = random.Next(1, 14);
            var separator = random.Next(4) == 0 ? "" : " ";
            var filter = string.Join(separator, Enumerable.Range(0, count).Select(_ => Tokens[random.Next(Tokens.Length)]));
            accepted += Check("$filter", filter, db) ? 1 : 0;
        }

        Assert.True(accepted > 0, "no random filter was valid, so the success path went untested");
    }

    [Fact]
    public void Mutated_valid_filters_only_throw_query_option_exceptions()
    {
        var random = new Random(7);
        var valid = RepresentativeFilters.Filters;
        using var db = new TranslationDb();
        var accepted = 0;
        for (var i = 0; i < 4000; i++)
        {
            var text = valid[random.Next(valid.Length)].ToCharArray().ToList();
            for (var edits = random.Next(1, 4); edits > 0 && text.Count > 0; edits--)
            {
                var at = random.Next(text.Count);
                switch (random.Next(3))
                {
                    case 0: text.RemoveAt(at); break;
                    case 1: text.Insert(at, "()',-: 0aZ\0"[random.Next(11)]); break;
                    default: text[at] = (char)random.Next(0x20, 0x7f); break;
                }
            }

            accepted += Check("$filter", new string([.. text]), db) ? 1 : 0;
        }

        Assert.True(accepted >= 100, $"only {accepted} mutated filters were valid, so the success path was barely tested");
    }

    [Fact]
    public void Random_orderby_only_throws_query_option_exceptions()
    {
        var random = new Random(99);
        using var db = new TranslationDb();
        var accepted = 0;
        for (var i = 0; i < 2000; i++)
        {
            var count = random.Next(1, 8);
            var orderBy = string.Join(random.Next(2) == 0 ? " " : "", Enumerable.Range(0, count).Select(_ => Tokens[random.Next(Tokens.Length)]));
            accepted += Check("$orderby", orderBy, db) ? 1 : 0;
        }

        Assert.True(accepted > 0, "no random $orderby was valid, so the success path went untested");
    }

    /// <summary>True when the value was accepted: parsed, applied in memory and to EF Core, and translated to SQL.</summary>
    private static bool Check(string option, string value, TranslationDb db)
    {
        IQueryable<Contact> sqlQuery;
        try
        {
            var query = Contacts.Parse((option, value));
            _ = query.ApplyOrderBy(query.ApplyFilter(Contacts.All().AsQueryable()), c => c.Id).ToList();
            sqlQuery = query.ApplyOrderBy(query.ApplyFilter(db.Contacts), c => c.Id);
        }
        catch (QueryOptionException error)
        {
            Assert.Equal(option, error.Option);
            Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
            return false;
        }
        catch (Exception error)
        {
            Assert.Fail($"{option}={Messages(value)} threw {error.GetType().Name}: {error.Message}");
            return false;
        }

        try
        {
            _ = sqlQuery.ToQueryString();
        }
        catch (Exception error)
        {
            Assert.Fail($"{option}={Messages(value)} was accepted, then did not translate: {error.GetType().Name}: {error.Message}");
        }

        return true;
    }

    private static string Messages(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
