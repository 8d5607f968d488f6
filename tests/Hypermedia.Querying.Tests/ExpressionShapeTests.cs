namespace Hypermedia.Querying.Tests;

/// <summary>
/// What the bound trees hand to EF Core. That they translate to SQL at all (no client evaluation) is
/// <see cref="SqlTranslationTests"/>' job; here, the literal values themselves.
/// </summary>
public sealed class ExpressionShapeTests
{
    [Theory]
    [MemberData(nameof(RepresentativeFilters.All), MemberType = typeof(RepresentativeFilters))]
    public void Date_time_values_are_utc(string filter)
    {
        var literals = ExpressionInspector.Literals(Contacts.FilterTree(filter));

        Assert.All(literals.OfType<DateTimeOffset>(), value => Assert.Equal(TimeSpan.Zero, value.Offset));
        Assert.All(literals.OfType<DateTime>(), value => Assert.Equal(DateTimeKind.Utc, value.Kind));
    }

    /// <summary>Every literal reaches SQL as a parameter, so each filter shape is one cached query plan.</summary>
    [Theory]
    [MemberData(nameof(RepresentativeFilters.All), MemberType = typeof(RepresentativeFilters))]
    public void No_literal_is_inlined(string filter)
    {
        var constants = ExpressionInspector.Constants(Contacts.FilterTree(filter));

        Assert.DoesNotContain(constants, c => c is string or int or long or decimal or double or DateTimeOffset or DateTime or Guid);
    }
}
