using System.Security.Cryptography;

namespace Hypermedia.Server.Platform;

/// <summary>Short, URL-safe, unguessable resource identifiers (never sequential ids).</summary>
public static class Slugs
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>8 characters of base62: 47 bits, so a collision is a one-in-trillions event the unique index still catches.</summary>
    public static string New(int length = 8) => RandomNumberGenerator.GetString(Alphabet, length);
}
