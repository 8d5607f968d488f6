using System.Security.Cryptography;

namespace Hypermedia.Server.Platform.Http;

public static class ETags
{
    /// <summary>A strong ETag from the content's hash.</summary>
    public static string Of(byte[] content) => "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";
}
