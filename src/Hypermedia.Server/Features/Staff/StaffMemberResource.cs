using System.ComponentModel;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Staff;

[HydraClass("Staff member", "A user with a server-level support role: viewer (reads the jobs dashboard) or operator (also acts on jobs; staff powers in the API).")]
public sealed class StaffMemberResource() : Resource("StaffMember")
{
    [Description("The user")]
    public required string User { get; init; }

    [Description("The user's name")]
    public required string Name { get; init; }

    [Description("The user's email")]
    public required string Email { get; init; }

    [Description("viewer or operator")]
    public required string Level { get; init; }

    public static StaffMemberResource Of(User user, Iris iris) => new()
    {
        Id = iris.For(StaffApi.StaffMemberRoute, new { id = user.Slug }),
        User = iris.For(UsersApi.UserRoute, new { id = user.Slug }),
        Name = user.Name,
        Email = user.Email,
        Level = user.StaffLevel!.Value.Name(),
    };
}
