using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Features.Carriers.Twilio;

/// <summary>
/// Twilio as a carrier: the <see cref="TwilioCarrier"/> that sends, and the webhooks Twilio calls
/// (anonymous, signed, outside the hypermedia API).
/// </summary>
public sealed class TwilioCarrierArea : IApiArea
{
    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TwilioOptions>, TwilioOptionsValidation>();
        services.AddSingleton<ICarrier, TwilioCarrier>();
    }

    public void MapRoutes(AreaRoutes routes)
    {
        routes.Anonymous.MapPost(TwilioWebhooks.StatusPath, TwilioWebhooks.Status).OutsideTheApi("Twilio");
        routes.Anonymous.MapPost(TwilioWebhooks.InboundPath, TwilioWebhooks.Inbound).OutsideTheApi("Twilio");
    }
}
