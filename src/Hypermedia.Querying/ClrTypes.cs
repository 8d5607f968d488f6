using Microsoft.OData.Edm;

namespace Hypermedia.Querying;

/// <summary>The CLR types a <see cref="QueryModel{TEntity}"/> accepts and the EDM kinds they map to.</summary>
internal static class ClrTypes
{
    // DateTime maps to Edm.DateTimeOffset because OData v4 has no offset-less date-time type;
    // literals compared with a DateTime member become UTC DateTimes (Npgsql's timestamptz mapping wants Kind=Utc).
    private static readonly Dictionary<Type, EdmPrimitiveTypeKind> EdmKinds = new()
    {
        [typeof(string)] = EdmPrimitiveTypeKind.String,
        [typeof(bool)] = EdmPrimitiveTypeKind.Boolean,
        [typeof(int)] = EdmPrimitiveTypeKind.Int32,
        [typeof(long)] = EdmPrimitiveTypeKind.Int64,
        [typeof(decimal)] = EdmPrimitiveTypeKind.Decimal,
        [typeof(double)] = EdmPrimitiveTypeKind.Double,
        [typeof(DateTimeOffset)] = EdmPrimitiveTypeKind.DateTimeOffset,
        [typeof(DateTime)] = EdmPrimitiveTypeKind.DateTimeOffset,
        [typeof(Guid)] = EdmPrimitiveTypeKind.Guid,
    };

    // Widening order used when two numeric operands must meet (ODL normally inserts the conversion itself).
    private static readonly Type[] NumericRank = [typeof(int), typeof(long), typeof(decimal), typeof(float), typeof(double)];

    public static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    public static bool CanBeNull(Type type) => !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;

    public static Type MakeNullable(Type type) =>
        CanBeNull(type) ? type : typeof(Nullable<>).MakeGenericType(type);

    public static bool IsNumeric(Type type) => Array.IndexOf(NumericRank, Underlying(type)) >= 0;

    public static bool IsIntegral(Type type) => Underlying(type) == typeof(int) || Underlying(type) == typeof(long);

    /// <summary>Types for which gt/ge/lt/le mean the same in .NET and in PostgreSQL.</summary>
    public static bool IsOrderable(Type type) =>
        IsNumeric(type) || Underlying(type) == typeof(DateTimeOffset) || Underlying(type) == typeof(DateTime);

    public static Type Wider(Type left, Type right) =>
        Array.IndexOf(NumericRank, Underlying(left)) >= Array.IndexOf(NumericRank, Underlying(right)) ? Underlying(left) : Underlying(right);

    public static bool TryGetEdmKind(Type clrType, out EdmPrimitiveTypeKind kind, out bool nullable)
    {
        nullable = CanBeNull(clrType);
        return EdmKinds.TryGetValue(Underlying(clrType), out kind);
    }

    /// <summary>The CLR type a value of the EDM kind is represented by inside the binder.</summary>
    public static Type? ForEdmKind(EdmPrimitiveTypeKind kind) => kind switch
    {
        EdmPrimitiveTypeKind.String => typeof(string),
        EdmPrimitiveTypeKind.Boolean => typeof(bool),
        EdmPrimitiveTypeKind.Int32 => typeof(int),
        EdmPrimitiveTypeKind.Int64 => typeof(long),
        EdmPrimitiveTypeKind.Decimal => typeof(decimal),
        EdmPrimitiveTypeKind.Single => typeof(float),
        EdmPrimitiveTypeKind.Double => typeof(double),
        EdmPrimitiveTypeKind.DateTimeOffset => typeof(DateTimeOffset),
        EdmPrimitiveTypeKind.Guid => typeof(Guid),
        _ => null,
    };

    /// <summary>Words an API client understands, for error messages.</summary>
    public static string Describe(Type type) => Underlying(type) switch
    {
        var t when t == typeof(string) => "text",
        var t when t == typeof(bool) => "boolean",
        var t when IsIntegral(t) => "integer",
        var t when IsNumeric(t) => "number",
        var t when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "date-time",
        var t when t == typeof(Guid) => "guid",
        _ => "value",
    };
}
