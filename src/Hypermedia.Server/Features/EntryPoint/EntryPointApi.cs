using System.ComponentModel;
using System.Text.Json.Serialization;
using Hypermedia.JsonLd;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.EntryPoint;

/// <summary>Where every client starts: links to its accounts, to itself and to the API documentation.</summary>
[HydraClass("Entry point", "The API's root: follow its links, never build URLs.")]
public sealed class EntryPointResource() : Resource("EntryPoint")
{
    [Description("This API's Hydra documentation")]
    public required string ApiDocumentation { get; init; }

    /// <summary>The links the areas registered (accounts, me, users, …).</summary>
    [JsonExtensionData]
    public Dictionary<string, object?> Links { get; init; } = [];
}

public sealed class EntryPointApi : IApiArea
{
    public const string EntryPointRoute = "entryPoint";

    public void MapRoutes(AreaRoutes routes) =>
        routes.Authenticated.MapGet("/", (Caller caller, ResourceLinks links) => ApiResults.Ok(new EntryPointResource
        {
            Id = "/",
            ApiDocumentation = ApiDocumentationBuilder.Path,
            Links = links.ForEntryPoint(caller.Identity),
        }))
            .WithName(EntryPointRoute)
            .Documented("EntryPoint", "Get the entry point")
            .Produces<EntryPointResource>();
}
