using Hypermedia.Server.Platform.Areas;

namespace Hypermedia.Server.Features.Carriers;

/// <summary>The carrier seam every carrier plugs into: the directory and the shared callback path.</summary>
public sealed class CarriersArea : IApiArea
{
    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<CarrierOptions>().BindConfiguration(CarrierOptions.Section);
        services.AddSingleton<CarrierDirectory>();
        services.AddScoped<CarrierEvents>();
    }

    public void MapRoutes(AreaRoutes routes)
    {
    }
}
