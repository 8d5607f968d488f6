using System.Security.Cryptography;
using System.Text;

namespace Hypermedia.Server.Platform.Auth;

/// <summary>
/// The token format: <c>hm_&lt;id&gt;_&lt;secret&gt;</c>. The id finds the row; only a SHA-256 of the
/// secret is stored. A fast hash suffices because the secret is 256 random bits, not a password.
/// </summary>
public static class ApiTokenSecrets
{
    public const string Prefix = "hm_";
    private const int IdLength = 10;
    private const int SecretLength = 43;

    public sealed record Issued(string Id, string Token, byte[] SecretHash);

    public static Issued Issue()
    {
        var id = Slugs.New(IdLength);
        var secret = Slugs.New(SecretLength);
        return new Issued(id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    /// <summary>Splits a presented token into its id and secret; false when it is not one of ours.</summary>
    public static bool TryParse(string? token, out string id, out string secret)
    {
        id = secret = "";
        if (token is null || token.Length != Prefix.Length + IdLength + 1 + SecretLength
            || !token.StartsWith(Prefix, StringComparison.Ordinal) || token[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        id = token.Substring(Prefix.Length, IdLength);
        secret = token[(Prefix.Length + IdLength + 1)..];
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);
}
