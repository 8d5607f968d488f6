namespace Hypermedia.Querying.Tests;

/// <summary>What an API client is told: the option, a position when known, and a sentence it can act on.</summary>
public sealed class ErrorMessageTests
{
    private const string Known = "id, name, businessName, createdAt, deletedAt, updatedAt, count, blocked, verified, balance, score, uid, status, account";

    [Theory]
    [InlineData("$filter", "nope eq 1", 0, "Unknown property 'nope' in $filter at position 0; known properties: " + Known + ".")]
    [InlineData("$filter", "name eq 'x' and nope eq 1", 16, "Unknown property 'nope' in $filter at position 16; known properties: " + Known + ".")]
    [InlineData("$filter", "name eq 'nope' or nope eq 1", 18, "Unknown property 'nope' in $filter at position 18; known properties: " + Known + ".")]
    [InlineData("$orderby", "count,nope desc", 6, "Unknown property 'nope' in $orderby at position 6; known properties: " + Known + ".")]
    [InlineData("$filter", "name eq", 7, "Syntax error in $filter at position 7.")]
    [InlineData("$filter", "name eq 'x", 10, "Unterminated string literal in $filter at position 10; quote text as 'text' and double any quote inside it.")]
    [InlineData("$filter", "name eq 'x'; DROP TABLE contacts;--", 11, "Invalid character ';' in $filter at position 11.")]
    [InlineData("$filter", "name eq 'a\0b'", 10, "Invalid character U+0000 in $filter at position 10.")]
    [InlineData("$filter", "name gt 5", 5, "Operator 'gt' in $filter at position 5 cannot combine text with an integer.")]
    [InlineData("$filter", "createdAt eq 'x'", 10, "Operator 'eq' in $filter at position 10 cannot combine a date-time with text.")]
    [InlineData("$filter", "count eq 1 and count add 1 gt 2", 21, "Operator 'add' is not supported in $filter at position 21; arithmetic and 'has' cannot be used.")]
    [InlineData("$filter", "name gt 'a'", 5, "Operator 'gt' in $filter at position 5 cannot order text values; use eq, ne or in.")]
    [InlineData("$filter", "createdAt gt 2024-01-01T25:00:00Z", 13, "Invalid date-time '2024-01-01T25:00:00Z' in $filter at position 13; use e.g. 2024-01-31T12:00:00Z or 2024-01-31.")]
    [InlineData("$orderby", "count desc, tolower(name)", 12, "$orderby at position 12 accepts only property names, each optionally followed by asc or desc; known properties: " + Known + ".")]
    public void Message_and_position(string option, string value, int position, string message)
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse((option, value)));

        Assert.Equal(option, error.Option);
        Assert.Equal(position, error.Position);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("substring(name, 1) eq 'x'", "substring")]
    [InlineData("geo.distance(name, name) gt 1", "geo.distance")]
    [InlineData("name eq 'x' or year(createdAt) eq 2024", "year")]
    public void Unsupported_functions_are_named_and_located(string filter, string function)
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", filter)));

        Assert.Equal(filter.IndexOf(function, StringComparison.Ordinal), error.Position);
        Assert.StartsWith($"Unsupported function '{function}' in $filter at position {error.Position}; supported functions: contains, startswith, endswith, tolower, toupper, trim, length.", error.Message);
    }

    [Fact]
    public void Parser_errors_keep_the_cause_for_server_logs()
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", "name eq")));

        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void Echoed_text_is_truncated_and_made_visible()
    {
        var name = "n" + new string('o', 100);

        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", name + " eq 1")));

        Assert.Contains($"'{name[..40]}...'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, error.Position);
    }

    [Fact]
    public void Bidi_override_is_escaped_in_the_message()
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", "\u202ename eq 'x'")));

        Assert.Equal("Invalid character '\\u202e' in $filter at position 0.", error.Message);
    }
}
