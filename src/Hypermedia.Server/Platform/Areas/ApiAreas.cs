using System.Reflection;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Platform.Areas;

/// <summary>Finds the areas, registers their services, and maps and describes them.</summary>
public static class ApiAreas
{
    /// <summary>Registers every area defined in <paramref name="assembly"/>.</summary>
    public static IServiceCollection AddApiAreas(this IServiceCollection services, Assembly assembly)
    {
        var areas = assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IApiArea).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in areas)
        {
            services.AddApiArea((IApiArea)Activator.CreateInstance(type)!);
        }

        return services;
    }

    /// <summary>Registers one area (the tests add areas of their own this way).</summary>
    public static IServiceCollection AddApiArea(this IServiceCollection services, IApiArea area)
    {
        area.AddServices(services);
        services.AddSingleton(area);
        return services;
    }

    public static IEndpointRouteBuilder MapApiAreas(this IEndpointRouteBuilder app)
    {
        var registry = app.ServiceProvider.GetRequiredService<ApiDescriptionRegistry>();
        var links = app.ServiceProvider.GetRequiredService<ResourceLinks>();
        foreach (var area in app.ServiceProvider.GetServices<IApiArea>())
        {
            area.MapRoutes(new AreaRoutes(app));
        }

        links.Describe(registry);
        return app;
    }
}
