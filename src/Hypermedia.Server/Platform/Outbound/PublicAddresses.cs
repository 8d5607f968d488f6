using System.Net;
using System.Net.Sockets;

namespace Hypermedia.Server.Platform.Outbound;

/// <summary>
/// Which addresses the server may fetch from on a client's behalf: the public internet only, so a URL
/// cannot make the server read its own loopback, the private network around it or a cloud metadata
/// service (server-side request forgery).
/// </summary>
/// <remarks>
/// The cloud metadata addresses already fall in refused ranges (169.254.169.254 is link-local,
/// 100.100.100.200 is CGNAT space, fd00:ec2::254 is unique local); they are listed first only so the
/// reason names them. An IPv6 address that carries an IPv4 one is judged by what it reaches: an
/// IPv4-mapped address (::ffff:a.b.c.d, which a dual-stack socket connects to a.b.c.d) and a NAT64
/// address (64:ff9b::a.b.c.d, which the translator sends to a.b.c.d; DNS64 networks give every IPv4-only
/// name one) are public when their IPv4 address is. Deprecated or tunnelling forms nothing public needs
/// (IPv4-compatible ::a.b.c.d, 6to4 2002::/16, Teredo 2001::/32, local-use NAT64 64:ff9b:1::/48) are
/// refused outright, as is all IPv6 outside the global unicast 2000::/3.
/// </remarks>
public static class PublicAddresses
{
    private static readonly (IPNetwork Range, string What)[] V4 =
    [
        (Range("169.254.169.254/32"), "the cloud instance metadata address (AWS, Azure, Google Cloud, Oracle Cloud), in the link-local range 169.254.0.0/16"),
        (Range("100.100.100.200/32"), "Alibaba Cloud's instance metadata address, in the shared (CGNAT) range 100.64.0.0/10"),
        (Range("0.0.0.0/8"), "an unspecified (\"this network\") address"),
        (Range("10.0.0.0/8"), "a private address"),
        (Range("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
        (Range("127.0.0.0/8"), "a loopback address"),
        (Range("169.254.0.0/16"), "a link-local address"),
        (Range("172.16.0.0/12"), "a private address"),
        (Range("192.0.0.0/24"), "an address reserved for IETF protocol assignments"),
        (Range("192.0.2.0/24"), "a documentation address"),
        (Range("192.88.99.0/24"), "a deprecated 6to4 relay address"),
        (Range("192.168.0.0/16"), "a private address"),
        (Range("198.18.0.0/15"), "a benchmarking address"),
        (Range("198.51.100.0/24"), "a documentation address"),
        (Range("203.0.113.0/24"), "a documentation address"),
        (Range("224.0.0.0/4"), "a multicast address"),
        (Range("255.255.255.255/32"), "the broadcast address"),
        (Range("240.0.0.0/4"), "a reserved address"),
    ];

    private static readonly (IPNetwork Range, string What)[] V6 =
    [
        (Range("fd00:ec2::254/128"), "the AWS instance metadata address, in the unique local range fc00::/7"),
        (Range("::/128"), "the unspecified address"),
        (Range("::1/128"), "the loopback address"),
        (Range("::ffff:0:0:0/96"), "an IPv4-translated address"),
        (Range("::/96"), "a deprecated IPv4-compatible address"),
        (Range("64:ff9b:1::/48"), "a local-use NAT64 address"),
        (Range("100::/64"), "a discard-only address"),
        (Range("2001::/32"), "a Teredo tunnel address"),
        (Range("2001:2::/48"), "a benchmarking address"),
        (Range("2001:20::/28"), "an ORCHIDv2 identifier, which is not routed"),
        (Range("2001:db8::/32"), "a documentation address"),
        (Range("2002::/16"), "a deprecated 6to4 address"),
        (Range("3fff::/20"), "a documentation address"),
        (Range("fc00::/7"), "a unique local (private) address"),
        (Range("fe80::/10"), "a link-local address"),
        (Range("fec0::/10"), "a deprecated site-local address"),
        (Range("ff00::/8"), "a multicast address"),
    ];

    private static readonly IPNetwork Nat64 = Range("64:ff9b::/96");
    private static readonly IPNetwork GlobalUnicast = Range("2000::/3");

    /// <summary>
    /// What <paramref name="address"/> is when it is not public, as a phrase a sentence can carry ("a
    /// private address (10.0.0.0/8)"); null when it is public.
    /// </summary>
    public static string? WhyNotPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Find(V4, address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            var v4 = address.MapToIPv4();
            return WhyNotPublic(v4) is { } why ? $"the IPv4-mapped form of {v4}, {why}" : null;
        }

        if (Nat64.Contains(address))
        {
            var v4 = new IPAddress(address.GetAddressBytes().AsSpan(12, 4));
            return WhyNotPublic(v4) is { } why ? $"a NAT64 address for {v4}, {why}" : null;
        }

        return Find(V6, address)
            ?? (GlobalUnicast.Contains(address) ? null : $"an address outside the global unicast range ({GlobalUnicast})");
    }

    private static string? Find((IPNetwork Range, string What)[] table, IPAddress address)
    {
        foreach (var (range, what) in table)
        {
            if (range.Contains(address))
            {
                // A single address's entry already names its range.
                return range.PrefixLength == address.GetAddressBytes().Length * 8 ? what : $"{what} ({range})";
            }
        }

        return null;
    }

    private static IPNetwork Range(string cidr) => IPNetwork.Parse(cidr);
}
