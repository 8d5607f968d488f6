namespace Hypermedia.Querying.Tests;

public sealed class PagingOptionTests
{
    [Fact]
    public void Defaults_when_nothing_is_given()
    {
        var query = Contacts.Parse();

        Assert.Equal(25, query.Top);
        Assert.Equal(0, query.Skip);
        Assert.Null(query.Count);
        Assert.False(query.HasFilter);
        Assert.False(query.HasOrderBy);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("100", 100)]
    [InlineData("007", 7)]
    public void Top_in_range(string value, int expected) => Assert.Equal(expected, Contacts.Parse(("$top", value)).Top);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("40", 40)]
    [InlineData("1000000", 1_000_000)]
    public void Skip_in_range(string value, int expected) => Assert.Equal(expected, Contacts.Parse(("$skip", value)).Skip);

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Count_values(string value, bool expected) => Assert.Equal(expected, Contacts.Parse(("$count", value)).Count);

    [Theory]
    [InlineData("$top", "101", "$top must be an integer between 0 and 100.")]
    [InlineData("$top", "-1", "$top must be an integer between 0 and 100.")]
    [InlineData("$top", "abc", "$top must be an integer between 0 and 100.")]
    [InlineData("$top", "99999999999999999999", "$top must be an integer between 0 and 100.")]
    [InlineData("$skip", "-5", "$skip must be an integer between 0 and 1000000.")]
    [InlineData("$skip", "1000001", "$skip must be an integer between 0 and 1000000.")]
    [InlineData("$count", "maybe", "$count must be true or false.")]
    [InlineData("$count", "True", "$count must be true or false.")]
    public void Out_of_range_values_name_the_rule(string option, string value, string message)
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse((option, value)));

        Assert.Equal(option, error.Option);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Limits_are_configurable()
    {
        var limits = new QueryLimits { MaxTop = 10, DefaultTop = 3, MaxSkip = 50 };

        Assert.Equal(3, Contacts.Parse(limits).Top);
        Assert.Equal(10, Contacts.Parse(limits, ("$top", "10")).Top);
        Assert.Equal("$top must be an integer between 0 and 10.", Assert.Throws<QueryOptionException>(() => Contacts.Parse(limits, ("$top", "11"))).Message);
        Assert.Equal("$skip must be an integer between 0 and 50.", Assert.Throws<QueryOptionException>(() => Contacts.Parse(limits, ("$skip", "51"))).Message);
    }

    [Fact]
    public void Parameters_without_a_dollar_are_left_to_the_caller()
    {
        var query = Contacts.Parse(("$filter", "count gt 1"), ("$top", "5"), ("q", "alice"), ("cursor", "abc"));

        Assert.True(query.HasFilter);
        Assert.Equal(5, query.Top);
    }

    [Fact]
    public void Option_names_are_case_insensitive()
    {
        var query = Contacts.Parse(("$TOP", "5"), ("$Filter", "count gt 1"));

        Assert.Equal(5, query.Top);
        Assert.True(query.HasFilter);
    }

    [Fact]
    public void An_option_given_twice_is_refused_whatever_its_case()
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$TOP", "5"), ("$top", "7")));

        Assert.Equal("$top", error.Option);
        Assert.Equal("The query option '$top' appears more than once.", error.Message);
    }

    [Theory]
    [InlineData("$expand", "x", "The query option '$expand' is not supported; supported options are $filter, $orderby, $top, $skip and $count.")]
    [InlineData("$foo", "bar", "Unknown query option '$foo'; supported options are $filter, $orderby, $top, $skip and $count.")]
    public void Unsupported_options_are_named(string option, string value, string message)
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$top", "5"), (option, value)));

        Assert.Equal(option, error.Option);
        Assert.Equal(message, error.Message);
    }
}
