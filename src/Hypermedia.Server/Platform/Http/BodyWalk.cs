using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hypermedia.Server.Platform.Errors;

namespace Hypermedia.Server.Platform.Http;

/// <summary>
/// One forward pass over a request body's tokens that writes a normalized copy for binding, at a
/// cost linear in the body's size: snake_case keys (TextUs request style) become camelCase, except
/// inside free-form objects, whose keys are data; a field
/// given twice (also as snake_case and camelCase) is a 400; text PostgreSQL cannot hold (U+0000,
/// unpaired surrogates) in a key or a value is a 422 naming the field; and fields the operation does
/// not read are counted, so a body stuffed with them is refused when the bound is passed, before
/// any more of it is read.
/// </summary>
internal static partial class BodyWalk
{
    /// <summary>Fields the operation ignores, in all: room for a document sent back as it was read (@context, id, links).</summary>
    public const int MaxIgnoredFields = 64;

    /// <summary>Fields in one free-form object (settings); the feature's own limit is lower and checked later.</summary>
    public const int MaxFreeFormFields = 256;

    public const int MaxDepth = 32;

    private const string UnstorableText = "must be valid Unicode text without NUL characters";
    private const int ShownPathLength = 100;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The copy is only read back by the deserializer; escaping non-ASCII would only make it bigger.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>The body with camelCase keys, ready for the deserializer.</summary>
    public static ReadOnlyMemory<byte> Normalize(ReadOnlySpan<byte> json, BodyShape shape)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var output = new ArrayBufferWriter<byte>(json.Length + 16);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        var walk = new Walk(shape);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw ApiException.BadRequest("The request body must be a JSON object.");
            }

            do
            {
                walk.Step(ref reader, writer);
            }
            while (reader.Read());
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest(
                $"The request body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        writer.Flush();
        return output.WrittenMemory;
    }

    internal static string ToCamelCase(string key) =>
        key.Contains('_') && !key.StartsWith('@')
            ? SnakeSegment().Replace(key, m => m.Groups[1].Value.ToUpperInvariant())
            : key;

    /// <summary>An object or array being read, and how it was reached (for naming fields in errors).</summary>
    private sealed class Container(BodyShape shape, bool isArray, string label)
    {
        public BodyShape Shape { get; } = shape;

        public bool IsArray { get; } = isArray;

        /// <summary>".name" or "[2]": this container's step in the path from the body.</summary>
        public string Label { get; } = label;

        private HashSet<string>? names;

        /// <summary>The fields seen so far (objects only), as bound: case-insensitively where binding is.</summary>
        public HashSet<string> Names => names ??= new(Shape.BindsCaseInsensitively ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        public int Index { get; set; } = -1;

        public string? FieldName { get; set; }

        public BodyShape? FieldShape { get; set; }
    }

    private sealed class Walk(BodyShape root)
    {
        private readonly List<Container> open = [];
        private int ignoredFields;

        public void Step(ref Utf8JsonReader reader, Utf8JsonWriter writer)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    Open(isArray: false);
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.StartArray:
                    Open(isArray: true);
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndObject:
                    open.RemoveAt(open.Count - 1);
                    writer.WriteEndObject();
                    break;
                case JsonTokenType.EndArray:
                    open.RemoveAt(open.Count - 1);
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    writer.WritePropertyName(Field(ref reader));
                    break;
                case JsonTokenType.String:
                    NextValue();
                    writer.WriteStringValue(Text(ref reader) ?? throw ApiException.Invalid(Path(ValueLabel()), UnstorableText));
                    break;
                case JsonTokenType.Number:
                    NextValue();
                    writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    NextValue();
                    writer.WriteBooleanValue(reader.TokenType == JsonTokenType.True);
                    break;
                case JsonTokenType.Null:
                    NextValue();
                    writer.WriteNullValue();
                    break;
            }
        }

        private void Open(bool isArray)
        {
            var shape = NextValue();
            var label = open.Count == 0 ? "" : ValueLabel();
            open.Add(new Container(shape, isArray, label));
        }

        /// <summary>Moves to the next value in the current container and returns what the request type expects there.</summary>
        private BodyShape NextValue()
        {
            if (open.Count == 0)
            {
                return root;
            }

            var current = open[^1];
            if (!current.IsArray)
            {
                return current.FieldShape!;
            }

            current.Index++;
            return current.Shape.Element;
        }

        private string Field(ref Utf8JsonReader reader)
        {
            var container = open[^1];
            var name = Text(ref reader)
                ?? throw ApiException.Invalid(Path(""), "has a field name that is not valid Unicode text (U+0000 or an unpaired surrogate)");
            // A free-form object's keys are data (a custom field's slug "calendar_link", an IRI), not field names.
            var camel = container.Shape.IsFreeForm ? name : ToCamelCase(name);
            container.FieldName = camel;
            if (!container.Names.Add(camel))
            {
                var field = Path(ValueLabel());
                throw new ApiException(StatusCodes.Status400BadRequest,
                    $"The request body gives the field '{Shown(field)}' more than once.",
                    new Dictionary<string, string[]> { [field] = ["is given more than once (also counting snake_case and camelCase spellings as one)"] });
            }

            if (container.Shape.IsFreeForm && container.Names.Count > MaxFreeFormFields)
            {
                throw ApiException.Invalid(Path(""), $"may hold at most {MaxFreeFormFields} fields");
            }

            container.FieldShape = container.Shape.Field(camel);
            if (container.FieldShape is null)
            {
                container.FieldShape = BodyShape.Ignored;
                if (++ignoredFields > MaxIgnoredFields)
                {
                    throw ApiException.Invalid("body",
                        $"has more than {MaxIgnoredFields} fields this operation does not read; send only the documented fields");
                }
            }

            return camel;
        }

        /// <summary>The current string, or null when PostgreSQL could not store it.</summary>
        private static string? Text(ref Utf8JsonReader reader)
        {
            try
            {
                var text = reader.GetString()!;
                return text.Contains('\0') ? null : text;
            }
            catch (InvalidOperationException)
            {
                // The reader refuses to unescape an unpaired surrogate (or invalid UTF-8) into a string.
                return null;
            }
        }

        private string ValueLabel()
        {
            var current = open[^1];
            return current.IsArray
                ? "[" + current.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]"
                : "." + current.FieldName;
        }

        /// <summary>"phones[0].number": the field the way a client names it; "body" for the body itself.</summary>
        private string Path(string last)
        {
            var path = new StringBuilder();
            foreach (var container in open)
            {
                path.Append(container.Label);
            }

            path.Append(last);
            var text = path.ToString().TrimStart('.');
            return text.Length == 0 ? "body" : text;
        }
    }

    private static string Shown(string field) =>
        field.Length <= ShownPathLength ? field : field[..ShownPathLength] + "…";

    [GeneratedRegex("_([a-zA-Z0-9])")]
    private static partial Regex SnakeSegment();
}
