namespace Hypermedia.Querying.Tests;

public sealed class QueryModelTests
{
    [Fact]
    public void Names_are_the_rows_properties_in_lower_camel_case_in_declaration_order()
    {
        Assert.Equal("Contact", Contacts.Model.TypeName);
        Assert.Equal(
            ["id", "name", "businessName", "createdAt", "deletedAt", "updatedAt", "count", "blocked", "verified", "balance", "score", "uid", "status", "account"],
            Contacts.Model.PropertyNames);
    }

    [Fact]
    public void The_entity_is_not_a_property()
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", "entity eq null")));

        Assert.StartsWith("Could not find a property named 'entity' on type 'Hypermedia.Contact'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_properties_are_named_with_the_known_ones()
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", "nmae eq 'x'")));

        Assert.Equal("$filter", error.Option);
        Assert.Equal(
            "Could not find a property named 'nmae' on type 'Hypermedia.Contact'; $filter may use: id, name, businessName, createdAt, deletedAt, updatedAt, count, blocked, verified, balance, score, uid, status, account.",
            error.Message);
    }

    [Fact]
    public void A_projected_member_filters_like_a_column()
    {
        Assert.Equal("1,3", Contacts.Filter("account eq 'north'"));
    }

    [Fact]
    public void Parsing_is_safe_from_many_threads()
    {
        var rows = Contacts.All();
        var results = new System.Collections.Concurrent.ConcurrentBag<int>();

        Parallel.For(0, 200, i =>
        {
            var query = Contacts.Parse(("$filter", $"count ge {i % 13} and not contains(name, 'zz')"), ("$orderby", "count desc"));
            results.Add(query.ApplyOrderBy(query.ApplyFilter(rows.AsQueryable()), c => c.Id).Count());
        });

        Assert.Equal(200, results.Count);
    }
}
