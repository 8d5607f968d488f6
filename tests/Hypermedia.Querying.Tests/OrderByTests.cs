namespace Hypermedia.Querying.Tests;

/// <remarks>
/// Rows here never tie on a NULL sort key: LINQ-to-objects sorts NULL first, PostgreSQL last, so such a test would
/// assert in-memory behaviour only.
/// </remarks>
public sealed class OrderByTests
{
    private static string Order(string orderBy)
    {
        var query = Contacts.Parse(("$orderby", orderBy));
        return string.Join(",", query.ApplyOrderBy(Contacts.All().AsQueryable(), c => c.Id).Select(c => c.Id));
    }

    [Theory]
    [InlineData("count", "5,2,1,3,4")]
    [InlineData("count asc", "5,2,1,3,4")]
    [InlineData("count desc", "3,4,1,2,5")]
    [InlineData("createdAt desc", "4,5,3,1,2")]
    [InlineData("createdAt", "2,1,3,5,4")]
    [InlineData("updatedAt", "3,1,5,2,4")]
    [InlineData("balance desc", "4,1,5,2,3")]
    [InlineData("account desc", "2,5,1,3,4")]
    public void Single_clause(string orderBy, string expected) => Assert.Equal(expected, Order(orderBy));

    [Theory]
    // Ties inside a clause fall to the next clause, and finally to the tie-breaker (id ascending).
    [InlineData("blocked, count desc", "3,4,1,2,5")]
    [InlineData("blocked desc,count", "5,2,1,3,4")]
    [InlineData("account, balance desc", "4,1,3,5,2")]
    [InlineData("status,account desc", "5,1,3,2,4")]
    [InlineData("blocked desc, balance desc, id", "5,2,4,1,3")]
    public void Multiple_clauses_then_tie_breaker(string orderBy, string expected) => Assert.Equal(expected, Order(orderBy));

    [Fact]
    public void Tie_breaker_orders_rows_equal_on_every_clause()
    {
        var rows = Contacts.All();
        rows.Reverse();
        var query = Contacts.Parse(("$orderby", "count desc"));

        var ids = query.ApplyOrderBy(rows.AsQueryable(), c => c.Id).Select(c => c.Id).ToList();

        Assert.Equal([3, 4, 1, 2, 5], ids);
    }

    [Fact]
    public void Absent_orderby_returns_the_source_unchanged()
    {
        var source = Contacts.All().AsQueryable();
        var query = Contacts.Parse(("$top", "5"));

        Assert.False(query.HasOrderBy);
        Assert.Same(source, query.ApplyOrderBy(source, c => c.Id));
    }

    [Fact]
    public void Five_clauses_are_allowed_by_default()
    {
        var query = Contacts.Parse(("$orderby", "blocked,count desc,balance,createdAt,id desc"));

        Assert.True(query.HasOrderBy);
        Assert.Equal([3, 4, 1, 2, 5], query.ApplyOrderBy(Contacts.All().AsQueryable(), c => c.Id).Select(c => c.Id));
    }

    [Fact]
    public void Clause_limit_is_configurable()
    {
        var limits = new QueryLimits { MaxOrderByClauses = 1 };

        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(limits, ("$orderby", "count,id")));

        Assert.Equal("$orderby", error.Option);
        Assert.Equal("The number of clauses in $orderby query option exceeded the maximum number allowed. The maximum number of $orderby clauses allowed is 1.", error.Message);
    }
}
