namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>The app with the outbound guard as shipped: no address allowed that is not public.</summary>
public sealed class DefaultGuardApiFactory : ApiFactory
{
    protected override string[] OutboundAllowedAddresses => [];
}
