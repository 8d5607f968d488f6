using System.Collections.ObjectModel;
using System.Linq.Expressions;

namespace Hypermedia.Querying;

/// <summary>
/// Which JSON property names of a resource may be filtered and ordered, and the entity member each maps to.
/// Build it once (e.g. in a static field); it freezes the first time a query is parsed against it.
/// </summary>
public sealed class QueryModel<TEntity>
{
    // Words the OData lexer reads as operators or literals; a property with such a name could never be referenced.
    private static readonly HashSet<string> ReservedWords = new(StringComparer.Ordinal)
    {
        "and", "or", "not", "eq", "ne", "gt", "ge", "lt", "le", "has", "in",
        "add", "sub", "mul", "div", "divby", "mod", "asc", "desc", "null", "true", "false", "INF", "NaN",
    };

    private readonly List<PropertyMap<TEntity>> properties = [];
    private readonly List<string> names = [];
    private readonly Lock gate = new();
    private EdmQueryModel<TEntity>? edm;

    public QueryModel(string typeName)
    {
        if (!IsIdentifier(typeName))
        {
            throw new ArgumentException("The type name must be a simple identifier (letters, digits, underscores).", nameof(typeName));
        }

        TypeName = typeName;
        PropertyNames = names.AsReadOnly();
    }

    public string TypeName { get; }

    public IReadOnlyList<string> PropertyNames { get; }

    /// <summary>
    /// Maps <paramref name="jsonName"/> to <paramref name="selector"/>, which may be any EF-translatable expression
    /// over the entity (e.g. <c>c =&gt; c.Account.Slug</c>). Supported types: string, bool, int, long, decimal, double,
    /// DateTimeOffset, DateTime, Guid and their nullable forms.
    /// </summary>
    public QueryModel<TEntity> Property<TValue>(string jsonName, Expression<Func<TEntity, TValue>> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (!IsIdentifier(jsonName) || ReservedWords.Contains(jsonName))
        {
            throw new ArgumentException($"'{jsonName}' cannot be used as a query property name.", nameof(jsonName));
        }

        if (!ClrTypes.TryGetEdmKind(typeof(TValue), out var kind, out var nullable))
        {
            throw new ArgumentException($"Properties of type {typeof(TValue).Name} are not supported.", nameof(selector));
        }

        lock (gate)
        {
            if (edm is not null)
            {
                throw new InvalidOperationException("The query model is already in use; declare all properties before parsing queries.");
            }

            if (names.Contains(jsonName, StringComparer.Ordinal))
            {
                throw new ArgumentException($"The property '{jsonName}' is already declared.", nameof(jsonName));
            }

            properties.Add(new PropertyMap<TEntity, TValue>(jsonName, selector, kind, nullable));
            names.Add(jsonName);
        }

        return this;
    }

    /// <summary>The EDM model, built once per instance because building it per request would be wasted work.</summary>
    internal EdmQueryModel<TEntity> GetEdmModel()
    {
        lock (gate)
        {
            return edm ??= EdmModelFactory.Create(TypeName, new ReadOnlyCollection<PropertyMap<TEntity>>(properties));
        }
    }

    private static bool IsIdentifier(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 128
        && (char.IsAsciiLetter(value[0]) || value[0] == '_')
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
