namespace Hypermedia.Querying.Tests;

/// <summary>One filter per construct the binder supports; used to check tree shape and SQL translation.</summary>
public static class RepresentativeFilters
{
    public static TheoryData<string> All => new(Filters);

    public static readonly string[] Filters =
    [
        "name eq 'Alice'",
        "name ne 'O''Brien'",
        "businessName eq null",
        "null ne businessName",
        "count gt 5 and count le 12",
        "count gt 4.5",
        "id lt 9999999999",
        "id gt 99999999999999999999",
        "count gt id",
        "balance ge -3.25",
        "score lt 2 or score eq null",
        "not blocked",
        "verified",
        "not verified",
        "blocked eq true",
        "createdAt gt 2024-01-01",
        "createdAt le 2024-01-01T12:00:00+02:00",
        "deletedAt lt 2024-03-01 or deletedAt eq null",
        "createdAt lt deletedAt",
        "updatedAt ge 2024-01-01T07:00:00-03:00",
        "uid eq 0f8fad5b-d9cb-469f-a165-70867728950e",
        "id in (1, 3, 99)",
        "name in ('Alice', 'bob')",
        "businessName in ('carol ltd', null)",
        "createdAt in ('2024-01-01T12:00:00+02:00')",
        "deletedAt in ('2024-02-01T00:00:00Z', null)",
        "contains(name, 'o')",
        "startswith(businessName, 'Acme')",
        "endswith(name, 'e')",
        "not contains(businessName, 'Corp')",
        "contains('Alice and Bob', name)",
        "tolower(name) eq 'alice'",
        "toupper(businessName) ne 'ACME'",
        "trim(name) eq 'Carol'",
        "length(businessName) gt 8",
        "tolower(businessName) eq null",
        "startswith(tolower(trim(name)), 'car')",
        "tolower(name) in ('alice', 'dave')",
        "account eq 'north'",
        "status in ('active', 'pending') and not (count eq 12 or blocked)",
        "true",
        "1 eq 1",
    ];
}
