using System.Security.Cryptography;
using System.Text;

namespace Hypermedia.Server.Platform.Auth;

/// <summary>
/// A bearer secret's format: <c>&lt;prefix&gt;&lt;id&gt;_&lt;secret&gt;</c>. The id finds the row; only a
/// SHA-256 of the secret is stored. A fast hash suffices because the secret is 256 random bits, not a
/// password. API tokens and invitations share it and differ only in their prefix, so a token can
/// never be mistaken for an invitation.
/// </summary>
public sealed class SecretFormat(string prefix)
{
    public static readonly SecretFormat ApiToken = new("hm_");
    public static readonly SecretFormat Invitation = new("hmi_");

    private const int IdLength = 10;
    private const int SecretLength = 43;

    public sealed record Issued(string Id, string Text, byte[] SecretHash);

    public Issued Issue()
    {
        var id = Slugs.New(IdLength);
        var secret = Slugs.New(SecretLength);
        return new Issued(id, $"{prefix}{id}_{secret}", Hash(secret));
    }

    /// <summary>Splits a presented value into its id and secret; false when it is not of this format.</summary>
    public bool TryParse(string? text, out string id, out string secret)
    {
        id = secret = "";
        if (text is null || text.Length != prefix.Length + IdLength + 1 + SecretLength
            || !text.StartsWith(prefix, StringComparison.Ordinal) || text[prefix.Length + IdLength] != '_')
        {
            return false;
        }

        id = text.Substring(prefix.Length, IdLength);
        secret = text[(prefix.Length + IdLength + 1)..];
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);
}
