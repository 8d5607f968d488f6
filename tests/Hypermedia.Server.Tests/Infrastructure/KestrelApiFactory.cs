using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>
/// The app on a real Kestrel listener on loopback, for requests the in-memory TestServer cannot
/// express (raw HTTP/1.1 framing such as hand-written chunk sizes).
/// </summary>
public class KestrelApiFactory : ApiFactory
{
    protected override void Start()
    {
        UseKestrel(0);
        StartServer();
    }

    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Sends <paramref name="request"/> byte for byte and returns everything the server answers until it closes (send Connection: close).</summary>
    public async Task<string> SendRawAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Address.Host, Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        // Only a guard against a server that never answers; a refusal comes back at once.
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(hang.Token);
    }
}
