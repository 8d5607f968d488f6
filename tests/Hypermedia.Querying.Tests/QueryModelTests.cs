namespace Hypermedia.Querying.Tests;

public sealed class QueryModelTests
{
    [Theory]
    [InlineData("")]
    [InlineData("1name")]
    [InlineData("first-name")]
    [InlineData("first name")]
    [InlineData("eq")]
    [InlineData("null")]
    [InlineData("desc")]
    [InlineData("$it")]
    public void Property_names_must_be_usable_identifiers(string name)
    {
        var model = new QueryModel<Contact>("Contact");

        Assert.Throws<ArgumentException>(() => model.Property(name, c => c.Name));
    }

    [Fact]
    public void Property_names_are_unique()
    {
        var model = new QueryModel<Contact>("Contact").Property("name", c => c.Name);

        Assert.Throws<ArgumentException>(() => model.Property("name", c => c.BusinessName));
    }

    [Fact]
    public void Unsupported_types_are_refused_at_declaration()
    {
        var model = new QueryModel<Contact>("Contact");

        Assert.Throws<ArgumentException>(() => model.Property("elapsed", c => TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => model.Property("account", c => c.Account));
    }

    [Fact]
    public void Type_name_must_be_an_identifier() =>
        Assert.Throws<ArgumentException>(() => new QueryModel<Contact>("Contact Type"));

    [Fact]
    public void Names_are_listed_in_declaration_order()
    {
        var model = new QueryModel<Contact>("Contact").Property("name", c => c.Name).Property("count", c => c.Count);

        Assert.Equal("Contact", model.TypeName);
        Assert.Equal(["name", "count"], model.PropertyNames);
    }

    [Fact]
    public void Model_freezes_once_used()
    {
        var model = new QueryModel<Contact>("Contact").Property("name", c => c.Name);
        ODataQuery.Parse(model, [new("$filter", "name eq 'x'")]);

        Assert.Throws<InvalidOperationException>(() => model.Property("count", c => c.Count));
    }

    [Fact]
    public void Model_without_properties_still_parses()
    {
        var model = new QueryModel<Contact>("Empty");

        Assert.NotNull(ODataQuery.Parse(model, [new("$filter", "true")]).Filter);
        var error = Assert.Throws<QueryOptionException>(() => ODataQuery.Parse(model, [new("$filter", "name eq 'x'")]));
        Assert.Equal("Unknown property 'name' in $filter at position 0; known properties: (none).", error.Message);
    }

    [Fact]
    public void Parsing_is_safe_from_many_threads()
    {
        var model = new QueryModel<Contact>("Contact").Property("name", c => c.Name).Property("count", c => c.Count);
        var rows = Contacts.All();
        var results = new System.Collections.Concurrent.ConcurrentBag<int>();

        Parallel.For(0, 200, i =>
        {
            var query = ODataQuery.Parse(model, [new("$filter", $"count ge {i % 13} and not contains(name, 'zz')"), new("$orderby", "count desc")]);
            results.Add(query.ApplyOrderBy(query.ApplyFilter(rows.AsQueryable()), c => c.Id).Count());
        });

        Assert.Equal(200, results.Count);
    }
}
