namespace Hypermedia.Querying.Tests;

public sealed class LimitTests
{
    [Fact]
    public void Node_count_is_limited()
    {
        var limits = new QueryLimits { MaxNodeCount = 5 };

        Assert.True(Contacts.Parse(limits, ("$filter", "count eq 1")).HasFilter);
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(limits, ("$filter", "count eq 1 and id eq 2 and name eq 'x'")));
        Assert.Equal("$filter", error.Option);
        Assert.Equal("The node count limit of '5' has been exceeded.", error.Message);
    }

    [Fact]
    public void A_long_flat_chain_within_the_length_limit_is_refused_by_node_count()
    {
        var filter = string.Join(" or ", Enumerable.Range(1, 100).Select(i => $"id eq {i}"));

        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", filter)));

        Assert.Equal("The node count limit of '100' has been exceeded.", error.Message);
    }

    [Fact]
    public void Deep_parentheses_are_refused()
    {
        var filter = new string('(', 2000) + "count eq 1" + new string(')', 2000);

        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", filter)));

        Assert.Equal("$filter", error.Option);
        Assert.Equal("Recursion depth exceeded allowed limit.", error.Message);
    }

    [Fact]
    public void Option_length_is_limited()
    {
        var limits = new QueryLimits { MaxOptionLength = 12 };

        Assert.True(Contacts.Parse(limits, ("$filter", "count eq 100")).HasFilter);
        Assert.Equal(
            "$filter is too long; at most 12 characters are allowed.",
            Assert.Throws<QueryOptionException>(() => Contacts.Parse(limits, ("$filter", "count eq 1000"))).Message);
        Assert.Equal(
            "$orderby is too long; at most 12 characters are allowed.",
            Assert.Throws<QueryOptionException>(() => Contacts.Parse(limits, ("$orderby", "createdAt desc"))).Message);
    }

    /// <summary>A huge option is refused by its length, before the parser sees it: the cost stays bounded (no timing here, the message says which check refused it).</summary>
    [Fact]
    public void Hostile_sizes_are_refused_by_length_before_parsing()
    {
        var huge = string.Join(" or ", Enumerable.Repeat("name eq 'x'", 100_000));

        var refused = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", huge)));

        Assert.Equal($"$filter is too long; at most {new QueryLimits().MaxOptionLength} characters are allowed.", refused.Message);
    }
}
