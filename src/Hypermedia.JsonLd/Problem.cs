using System.Text.Json.Serialization;

namespace Hypermedia.JsonLd;

/// <summary>
/// An error: a <c>hydra:Error</c> that is also an RFC 9457 problem document, plus the <c>error</c>
/// sentence TextUs clients read and, for rule violations, <c>errors</c> keyed by request field.
/// </summary>
public sealed class Problem() : TypedNode("hydra:Error")
{
    /// <summary>The problem type IRI (RFC 9457 <c>type</c>; the Error context maps it apart from <c>@type</c>).</summary>
    [JsonPropertyName("type")]
    public required string ProblemType { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    public required string Detail { get; init; }

    /// <summary>The request path the problem occurred on.</summary>
    public required string Instance { get; init; }

    public string Error => Detail;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
