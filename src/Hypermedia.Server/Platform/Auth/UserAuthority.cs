using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Platform.Auth;

/// <summary>
/// What the caller may do to one user. A user belongs to several accounts but has one name, one
/// email and one way in (their tokens work in every account), so changing those is reserved to
/// whoever answers for all of the user's accounts; a membership is one account's business.
/// </summary>
public sealed record UserStanding(User User, bool IsSelf, bool CallerIsStaff, bool CallerAdministersEveryAccount)
{
    /// <summary>
    /// Staff, or an admin of every account the user belongs to. An admin of only some of them would
    /// otherwise lock the user out of the others; a staff user is out of reach of account admins.
    /// </summary>
    public bool ControlsUser => CallerIsStaff || (CallerAdministersEveryAccount && User.StaffLevel is null);

    public bool MayRename => IsSelf || ControlsUser;

    /// <summary>The email is the user's identity everywhere: only they (or staff) change it.</summary>
    public bool MayChangeEmail => IsSelf || CallerIsStaff;

    /// <summary>Values of user schema fields (personalization): the user sets their own; whoever controls the user may too.</summary>
    public bool MaySetCustomSettings => IsSelf || ControlsUser;

    /// <summary>Nobody discards themself: an admin would lock their own accounts out of their one admin.</summary>
    public bool MayDiscard => !IsSelf && ControlsUser;
}

/// <summary>The one place that decides which users a caller may see and control.</summary>
public sealed class UserAuthority(HypermediaDbContext db, AccountAccess access, Caller caller)
{
    public bool CallerIsStaff => caller.IsStaff;

    /// <summary>
    /// The user with the caller's standing towards them, in one query. Visible are the caller,
    /// the members of accounts the caller administers, and (for staff) everyone; any other user,
    /// existing or not, is a 404.
    /// </summary>
    public async Task<UserStanding> RequireVisibleAsync(string userSlug, CancellationToken cancellationToken)
    {
        var callerId = access.CallerId;
        var isStaff = CallerIsStaff;
        var adminAccounts = access.AdminAccountIds();
        var found = await db.Users
            .Where(u => u.Slug == userSlug && (isStaff || u.Id == callerId || u.Memberships.Any(m => adminAccounts.Contains(m.AccountId))))
            .Select(u => new { User = u, AdministersEvery = u.Memberships.All(m => adminAccounts.Contains(m.AccountId)) })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("user");
        return new UserStanding(found.User, found.User.Id == callerId, isStaff, found.AdministersEvery);
    }

    /// <summary>
    /// The users <c>GET /users</c> lists: the caller and the members of accounts the caller
    /// administers. Staff too: the list is an admin's view of their accounts; staff reach others by IRI.
    /// </summary>
    public IQueryable<User> Listed()
    {
        var callerId = access.CallerId;
        var adminAccounts = access.AdminAccountIds();
        return db.Users.Where(u => u.Id == callerId || u.Memberships.Any(m => adminAccounts.Contains(m.AccountId)));
    }

    /// <summary>
    /// Narrows <paramref name="users"/> to members of the named accounts, counting only accounts the
    /// caller administers: naming any other account matches nobody, whether it exists or not, so
    /// the filter cannot tell which accounts exist or who else belongs to them.
    /// </summary>
    public IQueryable<User> InAdministeredAccounts(IQueryable<User> users, List<string> accountSlugs)
    {
        var adminAccounts = access.AdminAccountIds();
        return users.Where(u => u.Memberships.Any(m => accountSlugs.Contains(m.Account!.Slug) && adminAccounts.Contains(m.AccountId)));
    }

    /// <summary>The user's memberships the caller may see: in accounts the caller belongs to; staff see all.</summary>
    public IQueryable<Membership> VisibleMemberships(long userId)
    {
        var isStaff = CallerIsStaff;
        var callerAccounts = access.MemberAccountIds();
        return db.Memberships.Include(m => m.Account)
            .Where(m => m.UserId == userId && (isStaff || callerAccounts.Contains(m.AccountId)))
            .OrderBy(m => m.Account!.Slug);
    }

    /// <summary>Whether the caller may change memberships in the account: its admins, and staff.</summary>
    public async Task<bool> AdministersAsync(long accountId, CancellationToken cancellationToken) =>
        CallerIsStaff || await access.AdminAccountIds().ContainsAsync(accountId, cancellationToken);
}
