using System.Net;
using Hypermedia.Server.Platform.Outbound;

namespace Hypermedia.Server.Tests.Platform.Outbound;

public sealed class PublicAddressesTests
{
    /// <summary>Each refused range at its edges, with the public address just outside where there is one.</summary>
    public static TheoryData<string, string?> Addresses => new()
    {
        // Unspecified, "this network".
        { "0.0.0.0", "an unspecified (\"this network\") address (0.0.0.0/8)" },
        { "0.255.255.255", "an unspecified (\"this network\") address (0.0.0.0/8)" },
        { "1.0.0.0", null },

        // Private.
        { "9.255.255.255", null },
        { "10.0.0.0", "a private address (10.0.0.0/8)" },
        { "10.255.255.255", "a private address (10.0.0.0/8)" },
        { "11.0.0.0", null },
        { "172.15.255.255", null },
        { "172.16.0.0", "a private address (172.16.0.0/12)" },
        { "172.31.255.255", "a private address (172.16.0.0/12)" },
        { "172.32.0.0", null },
        { "192.167.255.255", null },
        { "192.168.0.0", "a private address (192.168.0.0/16)" },
        { "192.168.255.255", "a private address (192.168.0.0/16)" },
        { "192.169.0.0", null },

        // Shared address space (CGNAT), with Alibaba Cloud's metadata address inside it.
        { "100.63.255.255", null },
        { "100.64.0.0", "a shared (carrier-grade NAT) address (100.64.0.0/10)" },
        { "100.127.255.255", "a shared (carrier-grade NAT) address (100.64.0.0/10)" },
        { "100.128.0.0", null },
        { "100.100.100.200", "Alibaba Cloud's instance metadata address, in the shared (CGNAT) range 100.64.0.0/10" },

        // Loopback.
        { "126.255.255.255", null },
        { "127.0.0.0", "a loopback address (127.0.0.0/8)" },
        { "127.0.0.1", "a loopback address (127.0.0.0/8)" },
        { "127.255.255.255", "a loopback address (127.0.0.0/8)" },
        { "128.0.0.0", null },

        // Link-local, with the metadata address most clouds use inside it.
        { "169.253.255.255", null },
        { "169.254.0.0", "a link-local address (169.254.0.0/16)" },
        { "169.254.255.255", "a link-local address (169.254.0.0/16)" },
        { "169.255.0.0", null },
        { "169.254.169.254", "the cloud instance metadata address (AWS, Azure, Google Cloud, Oracle Cloud), in the link-local range 169.254.0.0/16" },
        { "169.254.169.253", "a link-local address (169.254.0.0/16)" },

        // IETF protocol assignments, documentation, benchmarking, the old 6to4 relay.
        { "191.255.255.255", null },
        { "192.0.0.0", "an address reserved for IETF protocol assignments (192.0.0.0/24)" },
        { "192.0.0.255", "an address reserved for IETF protocol assignments (192.0.0.0/24)" },
        { "192.0.1.0", null },
        { "192.0.2.0", "a documentation address (192.0.2.0/24)" },
        { "192.0.2.255", "a documentation address (192.0.2.0/24)" },
        { "192.0.3.0", null },
        { "192.88.98.255", null },
        { "192.88.99.0", "a deprecated 6to4 relay address (192.88.99.0/24)" },
        { "192.88.99.255", "a deprecated 6to4 relay address (192.88.99.0/24)" },
        { "192.88.100.0", null },
        { "198.17.255.255", null },
        { "198.18.0.0", "a benchmarking address (198.18.0.0/15)" },
        { "198.19.255.255", "a benchmarking address (198.18.0.0/15)" },
        { "198.20.0.0", null },
        { "198.51.99.255", null },
        { "198.51.100.0", "a documentation address (198.51.100.0/24)" },
        { "198.51.100.255", "a documentation address (198.51.100.0/24)" },
        { "198.51.101.0", null },
        { "203.0.112.255", null },
        { "203.0.113.0", "a documentation address (203.0.113.0/24)" },
        { "203.0.113.255", "a documentation address (203.0.113.0/24)" },
        { "203.0.114.0", null },

        // Multicast, reserved, broadcast: everything from 224.0.0.0 up.
        { "223.255.255.255", null },
        { "224.0.0.0", "a multicast address (224.0.0.0/4)" },
        { "239.255.255.255", "a multicast address (224.0.0.0/4)" },
        { "240.0.0.0", "a reserved address (240.0.0.0/4)" },
        { "255.255.255.254", "a reserved address (240.0.0.0/4)" },
        { "255.255.255.255", "the broadcast address" },

        // Real public IPv4 addresses.
        { "8.8.8.8", null },
        { "1.1.1.1", null },
        { "93.184.215.14", null },
        { "151.101.1.69", null },

        // IPv6: unspecified, loopback, and what carries an IPv4 address.
        { "::", "the unspecified address" },
        { "::1", "the loopback address" },
        { "::2", "a deprecated IPv4-compatible address (::/96)" },
        { "::127.0.0.1", "a deprecated IPv4-compatible address (::/96)" },
        { "::8.8.8.8", "a deprecated IPv4-compatible address (::/96)" },
        { "::ffff:127.0.0.1", "the IPv4-mapped form of 127.0.0.1, a loopback address (127.0.0.0/8)" },
        { "::ffff:10.0.0.1", "the IPv4-mapped form of 10.0.0.1, a private address (10.0.0.0/8)" },
        { "::ffff:169.254.169.254", "the IPv4-mapped form of 169.254.169.254, the cloud instance metadata address (AWS, Azure, Google Cloud, Oracle Cloud), in the link-local range 169.254.0.0/16" },
        { "::ffff:8.8.8.8", null },
        { "::ffff:0:127.0.0.1", "an IPv4-translated address (::ffff:0:0:0/96)" },
        { "64:ff9b::127.0.0.1", "a NAT64 address for 127.0.0.1, a loopback address (127.0.0.0/8)" },
        { "64:ff9b::10.0.0.1", "a NAT64 address for 10.0.0.1, a private address (10.0.0.0/8)" },
        { "64:ff9b::8.8.8.8", null },
        { "64:ff9b:1::8.8.8.8", "a local-use NAT64 address (64:ff9b:1::/48)" },
        { "2002:7f00:1::", "a deprecated 6to4 address (2002::/16)" },
        { "2002:808:808::1", "a deprecated 6to4 address (2002::/16)" },
        { "2001:0:4136:e378:8000:63bf:3fff:fdd2", "a Teredo tunnel address (2001::/32)" },

        // IPv6 reserved ranges.
        { "100::", "a discard-only address (100::/64)" },
        { "2001:2::1", "a benchmarking address (2001:2::/48)" },
        { "2001:20::1", "an ORCHIDv2 identifier, which is not routed (2001:20::/28)" },
        { "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", null },
        { "2001:db8::", "a documentation address (2001:db8::/32)" },
        { "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "a documentation address (2001:db8::/32)" },
        { "2001:db9::", null },
        { "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null },
        { "3fff::", "a documentation address (3fff::/20)" },
        { "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "a documentation address (3fff::/20)" },
        { "3fff:1000::", null },
        { "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "an address outside the global unicast range (2000::/3)" },
        { "fc00::", "a unique local (private) address (fc00::/7)" },
        { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "a unique local (private) address (fc00::/7)" },
        { "fd00:ec2::254", "the AWS instance metadata address, in the unique local range fc00::/7" },
        { "fe80::", "a link-local address (fe80::/10)" },
        { "fe80::1%2", "a link-local address (fe80::/10)" },
        { "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "a link-local address (fe80::/10)" },
        { "fec0::1", "a deprecated site-local address (fec0::/10)" },
        { "ff02::1", "a multicast address (ff00::/8)" },
        { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "a multicast address (ff00::/8)" },
        { "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "an address outside the global unicast range (2000::/3)" },
        { "4000::1", "an address outside the global unicast range (2000::/3)" },

        // Real public IPv6 addresses.
        { "2000::", null },
        { "2001:4860:4860::8888", null },
        { "2606:4700:4700::1111", null },
        { "2a00:1450:4001:82b::200e", null },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public void An_address_is_public_or_says_what_it_is(string address, string? reason) =>
        Assert.Equal(reason, PublicAddresses.WhyNotPublic(IPAddress.Parse(address)));
}
