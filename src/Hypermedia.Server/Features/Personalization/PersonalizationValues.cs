namespace Hypermedia.Server.Features.Personalization;

/// <summary>
/// What one recipient's body is personalized with: each object's members by name (<c>firstName</c>, a custom
/// field's slug), as text, and the values of plain names (<see cref="PersonalizationVariables.WithNames"/>);
/// null or blank is a missing value.
/// </summary>
public sealed record PersonalizationValues(
    IReadOnlyDictionary<string, string?> Contact,
    IReadOnlyDictionary<string, string?> User,
    IReadOnlyDictionary<string, string?> Account)
{
    /// <summary>Values of plain names (<c>{{appt_date}}</c>) by name; none unless the caller supplies them.</summary>
    public IReadOnlyDictionary<string, string?> Names { get; init; } = new Dictionary<string, string?>();

    /// <summary>The value of a plain name, or null when missing or blank.</summary>
    public string? OfName(string name) =>
        Names.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    public string? Of(string root, string member)
    {
        var values = root switch
        {
            PersonalizationVariables.Contact => Contact,
            PersonalizationVariables.User => User,
            PersonalizationVariables.Account => Account,
            _ => null,
        };
        return values is not null && values.TryGetValue(member, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
    }
}

/// <summary>
/// A body rendered for one recipient: <see cref="Text"/>, or null with the variables that had no value and no
/// fallback in <see cref="Missing"/> ("contact.firstName"), or (a limit reached) with <see cref="Problem"/> alone.
/// <see cref="Problem"/> is the phrase a caller reports either way, as a 422 on the body or a recipient's skip reason.
/// </summary>
public sealed record RenderResult(string? Text, IReadOnlyList<string> Missing)
{
    public string? Problem { get; init; }

    public bool IsRendered => Text is not null;

    public static RenderResult Rendered(string text) => new(text, []);

    public static RenderResult Lacking(IReadOnlyList<string> missing) => new(null, missing)
    {
        Problem = (missing.Count == 1 ? $"{{{{{missing[0]}}}}} has no value" : $"{string.Join(", ", missing.Select(m => $"{{{{{m}}}}}"))} have no value")
            + " for this recipient and no fallback (write it as {{" + missing[0] + " | default: \"…\"}} to send anyway)",
    };

    public static RenderResult Refused(string problem) => new(null, []) { Problem = problem };
}
