using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Querying.Tests;

/// <summary>
/// Filters and orderings compile to PostgreSQL SQL with the Npgsql provider. ToQueryString translates without
/// connecting, and throws if any part of the tree would need client evaluation.
/// </summary>
public sealed class SqlTranslationTests
{
    [Theory]
    [MemberData(nameof(RepresentativeFilters.All), MemberType = typeof(RepresentativeFilters))]
    public void Filter_translates_to_sql(string filter)
    {
        using var db = new TranslationDb();
        var query = Contacts.Parse(("$filter", filter), ("$orderby", "createdAt desc,account"), ("$top", "10"), ("$skip", "20"));

        var sql = query.ApplyOrderBy(query.ApplyFilter(db.Contacts), c => c.Id).Skip(query.Skip).Take(query.Top).ToQueryString();

        Assert.Contains("ORDER BY", sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name eq 'Alice'", "Alice")]
    [InlineData("contains(name, 'xyzzy')", "xyzzy")]
    [InlineData("name in ('first-value', 'second-value')", "first-value")]
    [InlineData("count gt 123456", "123456")]
    [InlineData("createdAt gt 2024-01-01T12:00:00+02:00", "2024")]
    public void Literals_are_sent_as_parameters(string filter, string literal)
    {
        using var db = new TranslationDb();
        var query = Contacts.Parse(("$filter", filter));

        var sql = query.ApplyFilter(db.Contacts).ToQueryString();
        var statement = string.Join("\n", sql.Split('\n').Where(line => !line.StartsWith("--", StringComparison.Ordinal)));

        Assert.Contains(literal, sql, StringComparison.Ordinal);
        Assert.DoesNotContain(literal, statement, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_comparison_becomes_is_null()
    {
        using var db = new TranslationDb();

        var sql = Contacts.Parse(("$filter", "businessName eq null")).ApplyFilter(db.Contacts).ToQueryString();

        Assert.Contains("IS NULL", sql, StringComparison.Ordinal);
    }
}
