using System.Text.Json.Serialization;

namespace Hypermedia.JsonLd;

/// <summary>
/// The <c>hydra:ApiDocumentation</c>: every class, property and operation the server supports.
/// Built once at start from what the features declare; nodes inside it share its context.
/// </summary>
public sealed class ApiDocumentation() : Resource("hydra:ApiDocumentation")
{
    public required string Title { get; init; }

    public required string Description { get; init; }

    public required string Entrypoint { get; init; }

    public required IReadOnlyList<ApiClass> SupportedClass { get; init; }
}

public sealed class ApiClass
{
    [JsonPropertyName("id")]
    [JsonPropertyOrder(-2)]
    public required string Id { get; init; }

    [JsonPropertyName("@type")]
    [JsonPropertyOrder(-1)]
    public string Type => "hydra:Class";

    public required string Title { get; init; }

    public required string Description { get; init; }

    public List<ApiSupportedProperty> SupportedProperty { get; } = [];

    public List<ApiOperation> SupportedOperation { get; } = [];
}

public sealed class ApiSupportedProperty
{
    [JsonPropertyName("@type")]
    [JsonPropertyOrder(-1)]
    public string Type => "hydra:SupportedProperty";

    public required ApiProperty Property { get; init; }

    public required string Title { get; init; }

    public bool Required { get; init; }

    public bool Readable { get; init; } = true;

    public bool Writable { get; init; }
}

/// <summary>An RDF property; a <c>hydra:Link</c> when its values are IRIs to dereference.</summary>
public sealed class ApiProperty
{
    [JsonPropertyName("id")]
    [JsonPropertyOrder(-2)]
    public required string Id { get; init; }

    [JsonPropertyName("@type")]
    [JsonPropertyOrder(-1)]
    public string Type => IsLink ? "hydra:Link" : "rdf:Property";

    [JsonIgnore]
    public bool IsLink { get; init; }

    public string? Range { get; init; }

    public List<ApiOperation> SupportedOperation { get; } = [];

    /// <summary>How to search the collection this link leads to, when it is one.</summary>
    public IriTemplate? Search { get; set; }
}

public sealed class ApiOperation
{
    [JsonPropertyName("@type")]
    [JsonPropertyOrder(-1)]
    public string Type => "hydra:Operation";

    public required string Title { get; init; }

    public required string Method { get; init; }

    public required string Expects { get; init; }

    public required string Returns { get; init; }

    /// <summary>The route the operation is served on, as an RFC 6570 template (a project term, for people and tests).</summary>
    public required string Route { get; init; }

    public required IReadOnlyList<ApiStatus> PossibleStatus { get; init; }
}

public sealed class ApiStatus
{
    [JsonPropertyName("@type")]
    [JsonPropertyOrder(-1)]
    public string Type => "hydra:Status";

    public required int StatusCode { get; init; }

    public required string Title { get; init; }
}

/// <summary>A <c>hydra:IriTemplate</c> whose variables are mapped to property IRIs.</summary>
public sealed class IriTemplate
{
    [JsonPropertyName("@type")]
    [JsonPropertyOrder(-1)]
    public string Type => "hydra:IriTemplate";

    public required string Template { get; init; }

    public string VariableRepresentation => "hydra:BasicRepresentation";

    public required IReadOnlyList<IriTemplateMapping> Mapping { get; init; }
}

public sealed class IriTemplateMapping
{
    [JsonPropertyName("@type")]
    [JsonPropertyOrder(-1)]
    public string Type => "hydra:IriTemplateMapping";

    public required string Variable { get; init; }

    public required string Property { get; init; }

    public bool Required { get; init; }
}
