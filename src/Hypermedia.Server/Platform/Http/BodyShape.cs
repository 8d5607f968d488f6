using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Hypermedia.Server.Platform.Json;

namespace Hypermedia.Server.Platform.Http;

/// <summary>
/// What a request type expects at one place in a body: an object with named fields, a list, a
/// free-form object (account settings), or a plain value. The body walk uses it to tell the fields an
/// operation reads from the ones it ignores, so a body stuffed with ignored fields is refused early.
/// Built from the request serializer's own metadata, so it names fields exactly as binding does.
/// </summary>
internal sealed class BodyShape
{
    private static readonly ConcurrentDictionary<Type, BodyShape> Shapes = new();

    /// <summary>A value the request type does not describe: every field inside it is one the operation ignores.</summary>
    public static readonly BodyShape Ignored = new(ShapeKind.Value, null, null);

    private readonly ShapeKind kind;
    private readonly Dictionary<string, Type>? fields;
    private readonly Type? elementType;

    private BodyShape(ShapeKind kind, Dictionary<string, Type>? fields, Type? elementType)
    {
        this.kind = kind;
        this.fields = fields;
        this.elementType = elementType;
    }

    private enum ShapeKind
    {
        Object,
        List,
        FreeForm,
        Value,
    }

    /// <summary>Any field name is meaningful here (settings): names are data, not unknown fields.</summary>
    public bool IsFreeForm => kind == ShapeKind.FreeForm;

    /// <summary>An object whose fields bind case-insensitively, so "name" and "Name" are the same field.</summary>
    public bool BindsCaseInsensitively => kind == ShapeKind.Object;

    public static BodyShape For(Type type) => Shapes.GetOrAdd(type, Create);

    /// <summary>The shape of a field's value, or null when the operation does not read that field.</summary>
    public BodyShape? Field(string name) => kind switch
    {
        ShapeKind.FreeForm => this,
        ShapeKind.Object when fields!.TryGetValue(name, out var type) => For(type),
        _ => null,
    };

    public BodyShape Element => kind switch
    {
        ShapeKind.FreeForm => this,
        ShapeKind.List => For(elementType!),
        _ => Ignored,
    };

    private static BodyShape Create(Type type)
    {
        if (type == typeof(object) || type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type))
        {
            return new(ShapeKind.FreeForm, null, null);
        }

        var info = ApiJson.Request.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Object => new(ShapeKind.Object,
                info.Properties.ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.OrdinalIgnoreCase), null),
            JsonTypeInfoKind.Enumerable => new(ShapeKind.List, null, info.ElementType),
            JsonTypeInfoKind.Dictionary => new(ShapeKind.FreeForm, null, null),
            _ => Ignored,
        };
    }
}
