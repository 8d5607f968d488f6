using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Hypermedia.Server.Platform.Json;

/// <summary>The one set of serializer options for responses and one for request bodies.</summary>
public static class ApiJson
{
    /// <summary>Responses: camelCase, nulls written (a null action link means "not allowed now").</summary>
    public static readonly JsonSerializerOptions Response = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // IRIs such as /opt_outs/+13035551234 read better unescaped; bodies are never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // Explicit, so the API documentation can read the resource types' properties from the same metadata.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>Requests: keys were already normalized to camelCase; numbers must be numbers.</summary>
    public static readonly JsonSerializerOptions Request = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        MaxDepth = 32,

        // Explicit, so the body walk can read the request types' fields from the same metadata (BodyShape).
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };
}
