using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Hypermedia.Server.Platform.Http;

/// <summary>The <c>ForwardedHeaders</c> configuration section: the proxies in front of the server that end TLS.</summary>
public sealed class ProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>The same, as CIDR ranges (<c>10.0.0.0/8</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>
/// Behind a proxy that ends TLS, the request's scheme and client address are the proxy's word for them:
/// with the proxy configured, an HTTPS request through it is HTTPS here (the dashboard's cookie is
/// Secure, rate limits count the real client). Without configuration the headers are ignored, so no
/// client can claim HTTPS or another address by sending them.
/// </summary>
public static class ProxyHeaders
{
    public static void UseProxyHeaders(this WebApplication app)
    {
        var proxies = app.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        if (proxies.KnownProxies.Length == 0 && proxies.KnownNetworks.Length == 0)
        {
            return;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"{ProxyOptions.Section}:KnownProxies has '{proxy}', which is not an IP address."));
        }

        foreach (var network in proxies.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var range)
                ? range
                : throw new InvalidOperationException($"{ProxyOptions.Section}:KnownNetworks has '{network}', which is not a CIDR range."));
        }

        app.UseForwardedHeaders(options);
    }
}
