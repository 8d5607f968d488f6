using Hypermedia.Server.Platform.Areas;

namespace Hypermedia.Server.Features.Personalization;

/// <summary>No routes of its own: the renderer and the lookup that the sending features use.</summary>
public sealed class PersonalizationArea : IApiArea
{
    public void AddServices(IServiceCollection services) => services.AddScoped<PersonalizationLookup>();

    public void MapRoutes(AreaRoutes routes)
    {
    }
}
