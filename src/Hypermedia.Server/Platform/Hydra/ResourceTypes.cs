using System.Collections.Concurrent;
using Hypermedia.JsonLd;

namespace Hypermedia.Server.Platform.Hydra;

/// <summary>CLR types as Hydra sees them: each typed node class names its <c>@type</c> once, in its constructor.</summary>
public static class ResourceTypes
{
    private static readonly ConcurrentDictionary<Type, string> Names = new();

    /// <summary>The <c>@type</c> a node type writes ("Contact", "hydra:Collection"); throws for a type that is not a typed node.</summary>
    public static string TypeNameOf(Type type) => Names.GetOrAdd(type, static t =>
        typeof(TypedNode).IsAssignableFrom(t) && !t.IsAbstract && !t.ContainsGenericParameters
            ? ((TypedNode)Activator.CreateInstance(t)!).Type
            : throw new InvalidOperationException($"{t.Name} is not a JSON-LD resource type (a TypedNode with a parameterless constructor)."));

    /// <summary>The member type of a <see cref="HydraCollection{T}"/>, or null for any other type.</summary>
    public static Type? CollectionMemberOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(HydraCollection<>) ? type.GetGenericArguments()[0] : null;
}
