namespace Hypermedia.JsonLd.Tests;

public sealed class KeysetCursorTests
{
    [Fact]
    public void A_cursor_round_trips_its_values()
    {
        var cursor = KeysetCursor.Encode("a", "Zoë O'Brien", "42", null);

        Assert.True(KeysetCursor.TryDecode(cursor, 4, out var values));
        Assert.Equal(new string?[] { "a", "Zoë O'Brien", "42", null }, values);
        Assert.DoesNotContain('+', cursor);
        Assert.DoesNotContain('/', cursor);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("W10")]
    [InlineData("eyJhIjoxfQ")]
    [InlineData("WyJhIl0")]
    public void Anything_not_issued_with_the_expected_shape_is_refused(string? cursor) =>
        Assert.False(KeysetCursor.TryDecode(cursor, 3, out _));

    [Fact]
    public void An_oversized_cursor_is_refused_without_decoding() =>
        Assert.False(KeysetCursor.TryDecode(new string('A', 10_000), 3, out _));
}
