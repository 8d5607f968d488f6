namespace Hypermedia.Querying.Tests;

public sealed class LimitTests
{
    [Fact]
    public void Node_count_is_checked_before_parsing()
    {
        var limits = new QueryLimits { MaxNodeCount = 5 };

        Assert.NotNull(Contacts.Parse(limits, ("$filter", "count eq 1")).Filter);
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(limits, ("$filter", "count eq 1 and id eq 2")));
        Assert.Equal("$filter is too complex; at most 5 terms are allowed.", error.Message);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void Node_count_is_checked_on_the_parsed_tree()
    {
        // Five words, but six nodes: the in-list itself counts.
        var limits = new QueryLimits { MaxNodeCount = 5 };

        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(limits, ("$filter", "count in (1,2,3)")));

        Assert.Equal("$filter is too complex; at most 5 terms are allowed.", error.Message);
    }

    [Fact]
    public void Flat_and_or_chains_count_as_one_level()
    {
        var limits = new QueryLimits { MaxDepth = 3 };

        Assert.NotNull(Contacts.Parse(limits, ("$filter", "count eq 1 or count eq 2 or count eq 3 or count eq 4")).Filter);
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(limits, ("$filter", "not (count eq 1 or count eq 2)")));
        Assert.Equal("$filter is nested too deeply; at most 3 levels are allowed.", error.Message);
    }

    [Fact]
    public void Deep_parentheses_are_refused_before_parsing()
    {
        var filter = new string('(', 21) + "count eq 1" + new string(')', 21);

        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", filter)));

        Assert.Equal("$filter is nested too deeply; at most 20 levels are allowed.", error.Message);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void Option_length_is_limited()
    {
        var limits = new QueryLimits { MaxOptionLength = 12 };

        Assert.NotNull(Contacts.Parse(limits, ("$filter", "count eq 100")).Filter);
        Assert.Equal(
            "$filter is too long; at most 12 characters are allowed.",
            Assert.Throws<QueryOptionException>(() => Contacts.Parse(limits, ("$filter", "count eq 1000"))).Message);
        Assert.Equal(
            "$orderby is too long; at most 12 characters are allowed.",
            Assert.Throws<QueryOptionException>(() => Contacts.Parse(limits, ("$orderby", "createdAt desc"))).Message);
    }

    [Fact]
    public void Hostile_sizes_are_refused_quickly()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var huge = string.Join(" or ", Enumerable.Repeat("name eq 'x'", 100_000));

        Assert.Throws<QueryOptionException>(() => Contacts.Parse(new QueryLimits { MaxOptionLength = int.MaxValue }, ("$filter", huge)));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }
}
