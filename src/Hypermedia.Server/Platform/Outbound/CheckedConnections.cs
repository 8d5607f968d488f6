using System.Net;
using System.Net.Sockets;

namespace Hypermedia.Server.Platform.Outbound;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of outbound fetches: it resolves the host once,
/// refuses the host if any of its addresses is not public (nor allowed), and connects the socket to one
/// of the addresses it checked. The check and the connection use the same answer, so a name that
/// resolves to a public address for the check and to a private one a moment later (DNS rebinding) gains
/// nothing. TLS and the Host header still use the URL's name: only the socket's endpoint is chosen here.
/// </summary>
internal sealed class CheckedConnections(IReadOnlyList<IPNetwork> allowed)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        // The pool's host is the URL's IdnHost; an IPv6 literal may come with or without brackets.
        var host = context.DnsEndPoint.Host.TrimStart('[').TrimEnd(']');
        // A literal is not looked up (and Dns refuses 0.0.0.0 and :: outright).
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        foreach (var address in addresses)
        {
            if (!IsAllowed(address) && PublicAddresses.WhyNotPublic(address) is { } why)
            {
                throw new AddressRefusedException(address, why);
            }
        }

        SocketException? failure = null;
        foreach (var address in addresses)
        {
            // A mapped address reaches its IPv4 address; connecting to that needs no IPv6 stack.
            var target = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failure = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw failure!;
    }

    private bool IsAllowed(IPAddress address)
    {
        var v4 = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : null;
        foreach (var range in allowed)
        {
            if (range.Contains(address) || (v4 is not null && range.Contains(v4)))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Thrown from the connect callback (the handler wraps it in an HttpRequestException); the fetcher words the refusal.</summary>
internal sealed class AddressRefusedException(IPAddress address, string why) : Exception($"{address} is {why}.")
{
    public IPAddress Address { get; } = address;

    public string Why { get; } = why;
}
