namespace Hypermedia.Querying.Tests;

/// <summary>Each $filter construct, run against in-memory rows; expected results are row ids.</summary>
public sealed class FilterBindingTests
{
    [Theory]
    [InlineData("name eq 'Alice'", "1")]
    [InlineData("name eq 'alice'", "")]
    [InlineData("name ne 'Alice'", "2,3,4,5")]
    [InlineData("'Alice' eq name", "1")]
    [InlineData("status eq 'blocked'", "2")]
    [InlineData("status ne 'active'", "2,4")]
    [InlineData("account eq 'north'", "1,3")]
    public void Text_equality(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Theory]
    [InlineData("name eq 'O''Brien'", "3")]
    [InlineData("businessName eq 'O''Brien & Sons'", "3")]
    [InlineData("contains(name, '''')", "3")]
    [InlineData("name in ('O''Brien', 'Dave')", "3,5")]
    public void Escaped_quotes(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Theory]
    [InlineData("count eq 12", "3,4")]
    [InlineData("count gt 5", "3,4")]
    [InlineData("count ge 5", "1,3,4")]
    [InlineData("count lt 0", "5")]
    [InlineData("count le 0", "2,5")]
    [InlineData("count eq -1", "5")]
    [InlineData("count gt 4.5", "1,3,4")]
    [InlineData("count lt 9999999999", "1,2,3,4,5")]
    [InlineData("id gt 3", "4,5")]
    [InlineData("id eq 5L", "5")]
    [InlineData("id gt 99999999999999999999", "")]
    [InlineData("balance eq 10.5", "1,5")]
    [InlineData("balance gt -3.25", "1,2,4,5")]
    [InlineData("balance lt 0", "3")]
    [InlineData("balance ge 100", "4")]
    [InlineData("score gt 1.5", "3,4")]
    [InlineData("score lt 0", "5")]
    [InlineData("score le 2", "1,4,5")]
    public void Numbers(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Theory]
    [InlineData("blocked", "2,5")]
    [InlineData("not blocked", "1,3,4")]
    [InlineData("blocked eq true", "2,5")]
    [InlineData("blocked ne true", "1,3,4")]
    [InlineData("verified", "1,4")]
    [InlineData("not verified", "3,5")]
    [InlineData("verified eq false", "3,5")]
    // In memory the library propagates null (a comparison with null is false); in SQL EF keeps C# semantics, see the server tests.
    [InlineData("verified ne true", "3,5")]
    [InlineData("true", "1,2,3,4,5")]
    [InlineData("false", "")]
    [InlineData("1 eq 1", "1,2,3,4,5")]
    [InlineData("'a' eq 'b'", "")]
    public void Booleans_and_constants(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Theory]
    [InlineData("businessName eq null", "2")]
    [InlineData("businessName ne null", "1,3,4,5")]
    [InlineData("null eq businessName", "2")]
    [InlineData("deletedAt eq null", "1,3,5")]
    [InlineData("deletedAt ne null", "2,4")]
    [InlineData("score eq null", "2")]
    [InlineData("verified eq null", "2")]
    [InlineData("count eq null", "")]
    [InlineData("count ne null", "1,2,3,4,5")]
    [InlineData("name eq null", "")]
    [InlineData("null eq null", "1,2,3,4,5")]
    [InlineData("tolower(businessName) eq null", "2")]
    [InlineData("length(businessName) ne null", "1,3,4,5")]
    public void Null_handling(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Theory]
    [InlineData("name eq 'Alice' and count eq 5", "1")]
    [InlineData("name eq 'Alice' or name eq 'bob'", "1,2")]
    [InlineData("(name eq 'Alice' or name eq 'bob') and blocked", "2")]
    [InlineData("name eq 'Alice' or name eq 'bob' and blocked", "1,2")]
    [InlineData("not (count eq 12)", "1,2,5")]
    [InlineData("not (count eq 12 or blocked)", "1")]
    [InlineData("count eq 12 and not contains(name, 'Carol')", "3")]
    [InlineData("((((count eq 12))))", "3,4")]
    public void Logic_and_parentheses(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Theory]
    [InlineData("id in (1, 3, 99)", "1,3")]
    [InlineData("name in ('Alice', 'bob')", "1,2")]
    [InlineData("name in ['Alice', 'bob']", "1,2")]
    [InlineData("status in ('active', 'pending')", "1,3,4,5")]
    [InlineData("businessName in ('carol ltd', null)", "2,4")]
    [InlineData("count in (12)", "3,4")]
    [InlineData("balance in (10.5, 100)", "1,4,5")]
    [InlineData("createdAt in ('2024-01-01T12:00:00+02:00', '2024-01-02T00:00:00Z')", "3,5")]
    [InlineData("deletedAt in ('2024-02-01T00:00:00Z', null)", "1,2,3,5")]
    [InlineData("tolower(name) in ('alice', 'dave')", "1,5")]
    [InlineData("not (id in (1, 2))", "3,4,5")]
    public void In_lists(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Theory]
    [InlineData("uid eq 0f8fad5b-d9cb-469f-a165-70867728950e", "1")]
    [InlineData("uid ne 0f8fad5b-d9cb-469f-a165-70867728950e", "2,3,4,5")]
    [InlineData("uid in (0f8fad5b-d9cb-469f-a165-70867728950e)", "1")]
    public void Guids(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Theory]
    // An Edm.Date literal compares with the member's date (in UTC), not with midnight.
    [InlineData("createdAt gt 2024-01-01", "4,5")]
    [InlineData("createdAt ge 2024-01-01", "1,3,4,5")]
    [InlineData("createdAt lt 2024-01-01", "2")]
    [InlineData("createdAt eq 2024-01-01", "1,3")]
    // Offsets compare as instants: 12:00+02:00 is 10:00Z.
    [InlineData("createdAt eq 2024-01-01T12:00:00+02:00", "3")]
    [InlineData("createdAt eq 2024-01-01T10:00:00Z", "3")]
    [InlineData("createdAt gt 2024-01-01T01:00:00+02:00", "1,2,3,4,5")]
    [InlineData("createdAt lt 2024-01-01T00:30:00.5+01:00", "2")]
    [InlineData("deletedAt gt 2024-03-01", "4")]
    [InlineData("deletedAt lt 2024-03-01", "2")]
    [InlineData("deletedAt eq 2024-03-16T05:00:00Z", "4")]
    // DateTime members are Edm.DateTimeOffset too; literals become UTC DateTimes.
    [InlineData("updatedAt gt 2024-01-01T07:00:00Z", "1,2,4,5")]
    [InlineData("updatedAt eq 2024-01-01T10:00:00+02:00", "1")]
    [InlineData("updatedAt lt 2024-01-01", "3")]
    [InlineData("createdAt gt deletedAt", "")]
    [InlineData("createdAt lt deletedAt", "2,4")]
    public void Dates_and_date_times(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Theory]
    [InlineData("contains(name, 'o')", "2,4")]
    [InlineData("contains(name, 'O')", "3")]
    [InlineData("startswith(name, 'A')", "1")]
    [InlineData("startswith(name, 'a')", "")]
    [InlineData("endswith(name, 'e')", "1,5")]
    [InlineData("contains(businessName, 'Corp')", "1")]
    [InlineData("contains(businessName, ' & ')", "3")]
    [InlineData("not contains(businessName, 'Corp')", "3,4,5")]
    [InlineData("contains('Alice and Bob', name)", "1")]
    [InlineData("contains(name, name)", "1,2,3,4,5")]
    [InlineData("contains('abc', 'b')", "1,2,3,4,5")]
    [InlineData("contains(name, 'x') eq false", "1,2,3,4,5")]
    public void String_predicates(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Theory]
    [InlineData("tolower(name) eq 'alice'", "1")]
    [InlineData("toupper(name) eq 'BOB'", "2")]
    [InlineData("trim(name) eq 'Carol'", "4")]
    [InlineData("length(name) eq 3", "2")]
    [InlineData("length(name) gt 5", "3,4")]
    [InlineData("length(businessName) eq 0", "5")]
    [InlineData("length(businessName) gt 8", "1,3,4")]
    [InlineData("tolower(businessName) eq 'carol ltd'", "4")]
    [InlineData("tolower(businessName) ne 'acme corp'", "2,3,4,5")]
    [InlineData("contains(tolower(businessName), 'carol')", "4")]
    [InlineData("startswith(tolower(trim(name)), 'car')", "4")]
    [InlineData("tolower('ALICE') eq name", "")]
    [InlineData("toupper('alice') eq toupper(name)", "1")]
    [InlineData("length('four') eq length(name)", "5")]
    [InlineData("tolower(name) eq tolower(businessName)", "")]
    public void String_functions(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Theory]
    [InlineData("count gt id", "1,3,4")]
    [InlineData("name eq businessName", "")]
    [InlineData("name ne businessName", "1,2,3,4,5")]
    public void Property_to_property(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));

    [Fact]
    public void Absent_filter_leaves_the_source_alone()
    {
        var source = Contacts.All().AsQueryable();
        var query = Contacts.Parse();

        Assert.False(query.HasFilter);
        Assert.Same(source, query.ApplyFilter(source));
    }

    [Fact]
    public void Date_time_literals_are_utc_in_the_tree()
    {
        var filter = Contacts.FilterTree("createdAt eq 2024-01-01T12:00:00+02:00 or createdAt gt 2024-05-01T00:00:00Z");

        var values = ExpressionInspector.Literals(filter).OfType<DateTimeOffset>().ToList();

        Assert.Equal(2, values.Count);
        Assert.All(values, v => Assert.Equal(TimeSpan.Zero, v.Offset));
        Assert.Contains(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero), values);
        Assert.Contains(new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero), values);
    }

    [Fact]
    public void Date_time_literals_for_DateTime_members_have_utc_kind()
    {
        var filter = Contacts.FilterTree("updatedAt eq 2024-01-01T12:00:00+02:00");

        var value = Assert.Single(ExpressionInspector.Literals(filter).OfType<DateTime>());

        Assert.Equal(DateTimeKind.Utc, value.Kind);
        Assert.Equal(new DateTime(2024, 1, 1, 10, 0, 0), value);
    }

    [Fact]
    public void Literals_become_parameters_not_inline_constants()
    {
        var filter = Contacts.FilterTree("name eq 'Alice' and count gt 3");

        Assert.Contains("Alice", ExpressionInspector.Literals(filter));
        Assert.DoesNotContain(ExpressionInspector.Constants(filter), c => c is string or int);
    }

    [Fact]
    public void Flat_or_chains_within_the_term_limit_are_accepted()
    {
        // A dozen comparisons joined by 'or': long, but within the library's MaxNodeCount (100).
        var filter = string.Join(" or ", Enumerable.Range(1, 11).Select(i => $"name eq 'n{i}'").Append("name eq 'Alice'"));

        Assert.Equal("1", Contacts.Filter(filter));
    }

    [Theory]
    [InlineData("count add 1 gt 2", "1,3,4")]
    [InlineData("count sub 2 eq 10", "3,4")]
    [InlineData("count mul 2 eq 10", "1")]
    [InlineData("count div 2 eq 6", "3,4")]
    [InlineData("count mod 2 eq 0", "2,3,4")]
    [InlineData("-count gt 0", "5")]
    [InlineData("substring(name, 1) eq 'lice'", "1")]
    [InlineData("concat(name, '!') eq 'bob!'", "2")]
    [InlineData("indexof(name, 'l') eq 1", "1")]
    [InlineData("year(createdAt) eq 2023", "2")]
    [InlineData("month(createdAt) eq 3", "4")]
    [InlineData("round(balance) eq 100", "4")]
    [InlineData("floor(balance) eq -4", "3")]
    [InlineData("$it/name eq 'Alice'", "1")]
    public void Arithmetic_and_functions_gained_from_the_library(string filter, string expected) => Assert.Equal(expected, Contacts.Filter(filter));
}
