using System.ComponentModel;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.EntryPoint;

/// <summary>Where every client starts: links to its accounts, to itself and to the API documentation.</summary>
[HydraClass("Entry point", "The API's root: follow its links, never build URLs.")]
public sealed class EntryPointResource() : Resource("EntryPoint")
{
    [Description("The accounts you are a member of")]
    public required string Accounts { get; init; }

    [Description("The user the token belongs to")]
    public required string Me { get; init; }

    [Description("Users you can see (admins: users of their accounts)")]
    public required string Users { get; init; }

    [Description("This API's Hydra documentation")]
    public required string ApiDocumentation { get; init; }
}

public static class EntryPointApi
{
    public const string EntryPointRoute = "entryPoint";

    public static IEndpointRouteBuilder MapEntryPointApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (AccountAccess caller, Iris iris) => ApiResults.Ok(new EntryPointResource
        {
            Id = iris.For(EntryPointRoute, new { }),
            Accounts = iris.For(AccountsApi.AccountsRoute, new { }),
            Me = iris.For(UsersApi.UserRoute, new { id = caller.CallerSlug }),
            Users = iris.For(UsersApi.UsersRoute, new { }),
            ApiDocumentation = ApiDocumentationBuilder.Path,
        }))
            .WithName(EntryPointRoute).RequireAuthorization()
            .Documented("EntryPoint", "Get the entry point")
            .Produces<EntryPointResource>();
        return app;
    }
}
