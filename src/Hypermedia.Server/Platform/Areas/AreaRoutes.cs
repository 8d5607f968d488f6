using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Platform.Areas;

/// <summary>Marks an endpoint whose route names an account and whose group checks the caller's membership.</summary>
public sealed class AccountScopedMetadata
{
    public static readonly AccountScopedMetadata Instance = new();
}

/// <summary>
/// The route groups an area maps onto. Each group carries its checks, so a handler cannot forget them:
/// <see cref="Authenticated"/> requires a token; <see cref="Account"/> (<c>/{account}/…</c>) and
/// <see cref="AccountItself"/> (<c>/accounts/{account}</c>) also require the caller to be a member of
/// the account, answering 404 otherwise, before the handler runs or reads the body.
/// </summary>
public sealed class AreaRoutes(IEndpointRouteBuilder app)
{
    public IEndpointRouteBuilder Anonymous => app;

    public RouteGroupBuilder Authenticated { get; } = app.MapGroup("").RequireAuthorization();

    public RouteGroupBuilder Account { get; } = AccountGroup(app, "/{" + AccountAccess.RouteValue + "}");

    public RouteGroupBuilder AccountItself { get; } = AccountGroup(app, "/accounts/{" + AccountAccess.RouteValue + "}");

    private static RouteGroupBuilder AccountGroup(IEndpointRouteBuilder app, string prefix)
    {
        var group = app.MapGroup(prefix).RequireAuthorization().WithMetadata(AccountScopedMetadata.Instance).ProducesProblems(StatusCodes.Status404NotFound);
        group.AddEndpointFilter(async (context, next) =>
        {
            await context.HttpContext.RequestServices.GetRequiredService<AccountAccess>().CurrentMemberAsync(context.HttpContext);
            return await next(context);
        });
        return group;
    }
}
