using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Platform.Outbound;

public static class OutboundServices
{
    /// <summary>The <c>Outbound</c> settings, checked at start, and the one <see cref="OutboundFetcher"/>.</summary>
    public static IServiceCollection AddOutboundFetches(this IServiceCollection services)
    {
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboundOptions>, OutboundOptionsValidation>();
        services.AddSingleton<OutboundFetcher>();
        return services;
    }
}
