using System.Collections.Concurrent;

namespace Hypermedia.JsonLd;

/// <summary>Where the context document of a type is served, and the vocabularies the contexts use.</summary>
public static class Contexts
{
    public const string PathPrefix = "/contexts/";
    public const string Extension = ".jsonld";

    /// <summary>The project vocabulary: every term without a better-known IRI expands under it.</summary>
    public const string Vocabulary = "https://hypermedia.dev/vocab#";
    public const string Hydra = "http://www.w3.org/ns/hydra/core#";

    /// <summary>Types are a fixed set named in code, so each path is built once, not for every node written.</summary>
    private static readonly ConcurrentDictionary<string, string> Paths = new(StringComparer.Ordinal);

    public static string For(string type) => Paths.GetOrAdd(type, static t => PathPrefix + t + Extension);

    /// <summary>The type name a context path names, or null when the path is not a context document.</summary>
    public static string? TypeOf(string fileName) =>
        fileName.EndsWith(Extension, StringComparison.Ordinal) && !fileName.Contains('/') && !fileName.Contains("..")
            ? fileName[..^Extension.Length]
            : null;
}
