namespace Hypermedia.Querying.Tests;

public sealed class HostileQueryTests
{
    // Not enumerated at discovery: serialising the rows would replace lone surrogates with U+FFFD.
    [Theory]
    [MemberData(nameof(HostileQueries.All), MemberType = typeof(HostileQueries), DisableDiscoveryEnumeration = true)]
    public void Is_refused_with_a_client_message(string option, string value, string expectedOption)
    {
        using var db = new TranslationDb();
        var error = Assert.Throws<QueryOptionException>(() =>
        {
            var query = Contacts.Parse((option, value));
            _ = query.ApplyOrderBy(query.ApplyFilter(db.Contacts), c => c.Id);
        });

        Assert.Equal(expectedOption, error.Option);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.True(error.Message.Length < 500, error.Message);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Edm.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, char.IsControl);
        if (error.Position is { } position)
        {
            Assert.InRange(position, 0, value.Length);
        }
    }

    [Fact]
    public void Corpus_is_large_enough_to_matter() => Assert.True(HostileQueries.All.Count >= 60);
}
