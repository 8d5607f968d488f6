using System.Text.Json;
using System.Text.Json.Nodes;
using Hypermedia.JsonLd;
using Hypermedia.Server.Platform.Http;

namespace Hypermedia.Server.Platform.Hydra;

/// <summary>One context document as served: its bytes and a strong ETag.</summary>
public sealed record ContextDocument(string TypeName, byte[] Content, string ETag);

/// <summary>
/// The context documents in <c>contexts/</c>, loaded once. They are the single place where a term's
/// IRI is written down: the API documentation reads its IRIs from here, so the two cannot disagree.
/// </summary>
public sealed class ContextCatalog
{
    private readonly Dictionary<string, ContextDocument> documents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, (string Iri, bool IsLink)>> terms = new(StringComparer.Ordinal);

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "contexts");

    /// <param name="directory">The folder of context files.</param>
    /// <param name="addedLinks">Link terms areas add to another type's context (see <c>AreaLink</c>).</param>
    public ContextCatalog(string directory, IEnumerable<(string TypeName, string Term, string Iri)>? addedLinks = null)
    {
        var added = (addedLinks ?? []).ToLookup(l => l.TypeName, StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*" + Contexts.Extension))
        {
            var typeName = Contexts.TypeOf(Path.GetFileName(file))!;
            var content = WithLinks(File.ReadAllBytes(file), added[typeName], file);
            documents[typeName] = new ContextDocument(typeName, content, ETags.Of(content));
            terms[typeName] = ReadTerms(content, file);
        }
    }

    public IReadOnlyCollection<string> TypeNames => documents.Keys;

    public ContextDocument? Find(string typeName) => documents.GetValueOrDefault(typeName);

    /// <summary>The absolute IRI a term expands to in a type's context; throws when the context lacks it.</summary>
    public (string Iri, bool IsLink) Term(string typeName, string term) =>
        terms.TryGetValue(typeName, out var map) && map.TryGetValue(term, out var found)
            ? found
            : throw new InvalidOperationException($"contexts/{typeName}{Contexts.Extension} does not define the term '{term}'.");

    /// <summary>
    /// The terms a type's context defines for its properties: not the prefixes (a term whose value is a
    /// namespace IRI, ending in '/', '#' or ':' as JSON-LD prefixes do: "WhatsApp" makes "WhatsApp::Template"
    /// a compact IRI in our vocabulary), keyword aliases ("id") or the class's own name.
    /// </summary>
    public IEnumerable<string> PropertyTerms(string typeName) =>
        terms.TryGetValue(typeName, out var map)
            ? map.Where(t => t.Key != typeName && !t.Value.Iri.StartsWith('@') && !t.Value.Iri.EndsWith('/') && !t.Value.Iri.EndsWith('#') && !t.Value.Iri.EndsWith(':'))
                .Select(t => t.Key)
            : throw new InvalidOperationException($"There is no context for '{typeName}'.");

    /// <summary>The class IRI of a type name ("Account" → vocab#Account; "hydra:Collection" → hydra#Collection).</summary>
    public string ClassIri(string typeName) => typeName switch
    {
        "owl:Nothing" => "http://www.w3.org/2002/07/owl#Nothing",
        _ when typeName.StartsWith("hydra:", StringComparison.Ordinal) => Contexts.Hydra + typeName["hydra:".Length..],
        _ => Term(typeName, typeName).Iri,
    };

    private static byte[] WithLinks(byte[] content, IEnumerable<(string TypeName, string Term, string Iri)> links, string file)
    {
        if (!links.Any())
        {
            return content;
        }

        var document = JsonNode.Parse(content)!;
        var context = document["@context"]!.AsObject();
        foreach (var (_, term, iri) in links)
        {
            if (!context.TryAdd(term, new JsonObject { ["@id"] = iri, ["@type"] = "@id" }))
            {
                throw new InvalidOperationException($"{file} already defines the term '{term}' that an area adds as a link.");
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(document, Indented);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static Dictionary<string, (string, bool)> ReadTerms(byte[] content, string file)
    {
        using var json = JsonDocument.Parse(content);
        if (!json.RootElement.TryGetProperty("@context", out var context) || context.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"{file} has no @context object.");
        }

        var prefixes = context.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Contains("://"))
            .ToDictionary(p => p.Name, p => p.Value.GetString()!);

        var result = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
        foreach (var property in context.EnumerateObject().Where(p => !p.Name.StartsWith('@')))
        {
            var (iri, isLink) = property.Value.ValueKind switch
            {
                JsonValueKind.String => (property.Value.GetString()!, false),
                JsonValueKind.Object => (
                    property.Value.GetProperty("@id").GetString()!,
                    property.Value.TryGetProperty("@type", out var type) && type.GetString() == "@id"),
                _ => throw new InvalidOperationException($"{file}: term '{property.Name}' is neither a string nor an object."),
            };
            result[property.Name] = (Expand(iri, prefixes), isLink);
        }

        return result;
    }

    private static string Expand(string iri, Dictionary<string, string> prefixes)
    {
        var colon = iri.IndexOf(':');
        return colon > 0 && prefixes.TryGetValue(iri[..colon], out var ns) ? ns + iri[(colon + 1)..] : iri;
    }
}
