namespace Hypermedia.Querying.Tests;

/// <summary>
/// Malformed and hostile query options that must each be refused with a <see cref="QueryOptionException"/>.
/// Rows are (option name, value, expected <see cref="QueryOptionException.Option"/>). The filters use the property
/// names name, businessName, createdAt, count, blocked and balance; against a model without them they still fail
/// (as unknown properties), so the corpus can be reused for any resource.
/// </summary>
public static class HostileQueries
{
    public static TheoryData<string, string, string> All
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var filter in Filters)
            {
                data.Add("$filter", filter, "$filter");
            }

            foreach (var orderBy in OrderBys)
            {
                data.Add("$orderby", orderBy, "$orderby");
            }

            foreach (var (option, value) in Others)
            {
                data.Add(option, value, option);
            }

            return data;
        }
    }

    private static readonly string[] Filters =
    [
        // Syntax
        "",
        "   ",
        "name eq",
        "eq 'x'",
        "name eq 'x' and",
        "name eq 'x' or ",
        "name 'x'",
        "(name eq 'x'",
        "name eq 'x')",
        "name eq 'x' name eq 'y'",
        "name == 'x'",
        "name eq \"x\"",
        "name eq %27x%27",
        // Unterminated and odd strings
        "name eq 'x",
        "name eq 'x''",
        "'unterminated",
        "name eq 'a\0b'",
        "name\0eq 'x'",
        "\0",
        "name eq '\ud800'",
        "name eq 'x' \u001b[31m",
        "\u202e\ufeff\u200b",
        "😀 eq 1",
        "名前 eq 'x'",
        // Unknown properties and paths
        "nope eq 1",
        "name eq 'x' and nope eq 1",
        "name/length eq 1",
        "$root eq null",
        "$count gt 1",
        "name eq @p",
        "@p",
        // Type mismatches
        "name gt 5",
        "createdAt eq 'x'",
        "count eq 'five'",
        "blocked eq 1",
        "count eq 1 eq 1",
        "name eq true",
        "createdAt gt 2024-13-01",
        "createdAt gt 2024-01-01T25:00:00Z",
        "createdAt gt 2024-01-01T00:00:00",
        "name eq duration'P1D'",
        "name eq binary'AAAA'",
        "name eq Hypermedia.Color'Red'",
        "name",
        "count",
        "not name",
        "name and blocked",
        // Literals that cannot be computed (evaluated once, before SQL)
        "null",
        "not null",
        "null and blocked",
        "1 div 0 eq 1",
        "1 mod 0 eq 1",
        "contains(null, 'x')",
        "length(null) eq 1",
        "substring('abc', 9) eq 'x'",
        // Operators that are not supported
        "name has 'x'",
        // Lambdas, casts and functions that are not supported
        "name/any(x: x eq 'a')",
        "name/all(x: x eq 'a')",
        "nope/any(x: x eq 1)",
        "cast(name, Edm.String) eq 'x'",
        "cast(count, Edm.Int64) eq 1",
        "isof(name, Edm.String)",
        "geo.distance(name, name) gt 1",
        "geo.intersects(name, name)",
        "date(createdAt) eq 2024-01-01",
        "matchesPattern(name, 'x')",
        "fractionalseconds(createdAt) gt 0",
        "time(createdAt) eq 12:00:00",
        "date(createdAt) eq date(deletedAt)",
        "entity eq null",
        "$it/entity eq null",
        "cast(count, 'Edm.String') eq '1'",
        "fn(name)",
        "Hypermedia.fn(name)",
        "contains(name)",
        "contains(name, 5)",
        "tolower(count) eq 'a'",
        "trim(name, 'x') eq 'a'",
        // In lists
        "name in ('a',,'b')",
        "name in ('a'",
        "name in 'a'",
        "name in (name)",
        "count in ('a')",
        "count in (1, null)",
        // Numbers out of range
        "balance gt 79228162514264337593543950336",
        "balance eq NaN",
        // SQL and script injection attempts
        "name eq 'x' --",
        "name eq 'x'; DROP TABLE contacts;--",
        "name eq 'x' union select * from users",
        "name eq 'x' or 1=1",
        "name eq ''; DELETE FROM contacts WHERE ''=''",
        "name eq 'x' /* comment */",
        "<script>alert(1)</script>",
        // Too big or too deep
        new string('(', 500) + "name eq 'x'" + new string(')', 500),
        string.Join(" or ", Enumerable.Repeat("name eq 'x'", 10_000)),
        string.Join(" and ", Enumerable.Repeat("count eq 1", 30)),
        string.Concat(Enumerable.Repeat("not ", 1000)) + "blocked",
        new string('-', 1000) + "count gt 1",
        "name eq '" + new string('x', 5000) + "'",
    ];

    private static readonly string[] OrderBys =
    [
        "",
        " ",
        "name sideways",
        "nope",
        "name desc desc",
        "name,",
        ",name",
        "name,,count",
        "$it",
        "'x'",
        "1",
        "name desc; DROP TABLE contacts",
        "name,createdAt,count,blocked,balance,businessName",
        string.Join(",", Enumerable.Repeat("name", 10_000)),
        new string('(', 500) + "name" + new string(')', 500),
        "name\0",
        "name/any(x: x eq 'a')",
        "1",
        "2024-01-01",
        "null",
        "'x' desc",
        "entity",
        "name eq @p",
    ];

    private static readonly (string Option, string Value)[] Others =
    [
        ("$top", "101"),
        ("$top", "-1"),
        ("$top", "abc"),
        ("$top", "99999999999999999999"),
        ("$top", ""),
        ("$top", "1.5"),
        ("$top", "1e2"),
        ("$top", "0x10"),
        ("$top", "\uff15"),
        ("$skip", "-5"),
        ("$skip", "1000001"),
        ("$skip", "abc"),
        ("$skip", ""),
        ("$count", "maybe"),
        ("$count", "TRUE"),
        ("$count", "1"),
        ("$count", ""),
        ("$expand", "x"),
        ("$select", "name"),
        ("$search", "x"),
        ("$apply", "aggregate(count with sum as total)"),
        ("$format", "json"),
        ("$skiptoken", "abc"),
        ("$compute", "count add 1 as next"),
        ("$foo", "bar"),
        ("$", "x"),
        ("$Expand", "x"),
        ("$filter\0", "name eq 'x'"),
    ];
}
