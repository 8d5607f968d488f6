using System.Text.Json.Serialization;

namespace Hypermedia.JsonLd;

/// <summary>
/// A typed JSON-LD node that carries its own context: <c>@context</c> and <c>@type</c> come first,
/// on every node, top-level or embedded.
/// </summary>
public abstract class TypedNode
{
    protected TypedNode(string type) => Type = type;

    [JsonPropertyName("@context")]
    [JsonPropertyOrder(-3)]
    public string Context => Contexts.For(Type);

    [JsonPropertyName("@type")]
    [JsonPropertyOrder(-2)]
    public string Type { get; }
}

/// <summary>A resource: a typed node with an <c>id</c> IRI that dereferences to it.</summary>
public abstract class Resource(string type) : TypedNode(type)
{
    [JsonPropertyName("id")]
    [JsonPropertyOrder(-1)]
    public required string Id { get; init; }
}
