namespace Hypermedia.Querying.Tests;

/// <summary>
/// What an API client is told: the option, a position when the library knows it, and the library's sentence,
/// with advice meant for server developers removed and long input quoted short.
/// </summary>
public sealed class ErrorMessageTests
{
    private const string Known = "id, name, businessName, createdAt, deletedAt, updatedAt, count, blocked, verified, balance, score, uid, status, account";

    [Theory]
    [InlineData("$filter", "nope eq 1", null, "Could not find a property named 'nope' on type 'Hypermedia.Contact'; $filter may use: " + Known + ".")]
    [InlineData("$filter", "name eq 'x' and nope eq 1", null, "Could not find a property named 'nope' on type 'Hypermedia.Contact'; $filter may use: " + Known + ".")]
    [InlineData("$orderby", "count,nope desc", null, "Could not find a property named 'nope' on type 'Hypermedia.Contact'; $orderby may use: " + Known + ".")]
    [InlineData("$filter", "name eq", 7, "Expression expected at position 7 in 'name eq'.")]
    [InlineData("$filter", "name eq 'x", 10, "There is an unterminated string literal at position 10 in 'name eq 'x'.")]
    [InlineData("$filter", "name eq 'x'; DROP TABLE contacts;--", 12, "Syntax error at position 12 in 'name eq 'x'; DROP TABLE contacts;--'.")]
    [InlineData("$filter", "name eq 'a\0b'", 10, "Invalid character U+0000 in $filter at position 10.")]
    [InlineData("$filter", "name gt 5", null, "A binary operator with incompatible types was detected. Found operand types 'String' and 'Int32' for operator kind 'GreaterThan'.")]
    [InlineData("$filter", "createdAt eq 'x'", null, "A binary operator with incompatible types was detected. Found operand types 'DateTimeOffset' and 'String' for operator kind 'Equal'.")]
    [InlineData("$filter", "createdAt gt 2024-01-01T25:00:00Z", null, "The DateTimeOffset text '2024-01-01T25:00:00Z' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?' and each field value is within valid range.")]
    [InlineData("$filter", "matchesPattern(name, 'x')", null, "Function 'matchesPattern' is not allowed.")]
    [InlineData("$filter", "1 div 0 eq 1", null, "A value in $filter cannot be computed: it divides by zero.")]
    [InlineData("$filter", "name eq @p", 8, "Parameter aliases (@name) are not supported in $filter; found one at position 8.")]
    [InlineData("$orderby", "1", null, "Each $orderby clause must name a property, or an expression over properties.")]
    public void Message_and_position(string option, string value, int? position, string message)
    {
        var error = Assert.Throws<QueryOptionException>(() => Apply((option, value)));

        Assert.Equal(option, error.Option);
        Assert.Equal(position, error.Position);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Advice_for_server_developers_is_removed()
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(new QueryLimits { MaxNodeCount = 3 }, ("$filter", "count eq 1 and id eq 2")));

        Assert.Equal("The node count limit of '3' has been exceeded.", error.Message);
    }

    [Fact]
    public void Parser_errors_keep_the_cause_for_server_logs()
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", "name eq")));

        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void Quoted_input_is_truncated()
    {
        var filter = "name eq 'x' " + new string('o', 200);

        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", filter)));

        Assert.EndsWith($"in '{filter[..40]}...'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_messages_are_cut()
    {
        var name = "n" + new string('o', 3000);

        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", name + " eq 1")));

        Assert.InRange(error.Message.Length, 1, 403);
    }

    [Fact]
    public void Bidi_override_is_escaped_in_the_message()
    {
        var error = Assert.Throws<QueryOptionException>(() => Contacts.Parse(("$filter", "\u202ename eq 'x'")));

        Assert.Equal("Syntax error: character '\\u202e' is not valid at position 0 in '\\u202ename eq 'x''.", error.Message);
    }

    private static void Apply(params (string Name, string? Value)[] options)
    {
        using var db = new TranslationDb();
        var query = Contacts.Parse(options);
        _ = query.ApplyOrderBy(query.ApplyFilter(db.Contacts), c => c.Id);
    }
}
