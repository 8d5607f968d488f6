using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.EntryPoint;

/// <summary>Where every client starts: links to its accounts, to itself and to the API documentation.</summary>
public sealed class EntryPointResource() : Resource("EntryPoint")
{
    public required string Accounts { get; init; }

    public required string Me { get; init; }

    public required string Users { get; init; }

    public required string ApiDocumentation { get; init; }
}

public static class EntryPointApi
{
    public const string EntryPointRoute = "entryPoint";

    public static readonly ClassDescription Class = new("EntryPoint", "Entry point",
        "The API's root: follow its links, never build URLs.",
        new("accounts", "The accounts you are a member of"),
        new("me", "The user the token belongs to"),
        new("users", "Users you can see (admins: users of their accounts)"),
        new("apiDocumentation", "This API's Hydra documentation"));

    public static IEndpointRouteBuilder MapEntryPointApi(this IEndpointRouteBuilder app)
    {
        app.DescribeClasses(Class);
        app.MapGet("/", (AccountAccess caller, Iris iris) => ApiResults.Ok(new EntryPointResource
        {
            Id = iris.For(EntryPointRoute, new { }),
            Accounts = iris.For(AccountsApi.AccountsRoute, new { }),
            Me = iris.For(UsersApi.UserRoute, new { id = caller.CallerSlug }),
            Users = iris.For(UsersApi.UsersRoute, new { }),
            ApiDocumentation = ApiDocumentationBuilder.Path,
        }))
            .WithName(EntryPointRoute).RequireAuthorization()
            .Documented("EntryPoint", "Get the entry point", "EntryPoint", null, 200);
        return app;
    }
}
