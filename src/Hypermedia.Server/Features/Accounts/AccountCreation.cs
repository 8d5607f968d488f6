using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Accounts;

/// <summary>Creates accounts for the staff API and the <c>accounts create</c> command alike.</summary>
public sealed class AccountCreation(HypermediaDbContext db, Iris iris, ReservedPaths reserved, TimeProvider clock)
{
    /// <summary>Validates and stores a new account; <paramref name="adminUserId"/>, when given, becomes its admin.</summary>
    public async Task<(Account Account, Account? Parent)> CreateAsync(CreateAccountRequest request, long? adminUserId,
        CancellationToken cancellationToken = default)
    {
        var validator = new Validator();
        AccountRules.CheckSlug(validator, request.Slug, reserved);
        var name = validator.Text("name", request.Name, AccountRules.MaxName);
        var phones = AccountRules.NormalizePhones(validator, request.PhoneNumbers);
        Account? parent = null;
        if (request.Parent is not null)
        {
            var parentSlug = iris.Match(request.Parent, AccountsApi.AccountRoute, AccountAccess.RouteValue);
            parent = parentSlug is null ? null : await db.Accounts.SingleOrDefaultAsync(a => a.Slug == parentSlug, cancellationToken);
            if (parent is null)
            {
                validator.Add("parent", "must be the IRI of an existing account, e.g. /accounts/acme");
            }
        }

        validator.ThrowIfInvalid();
        if (await db.Accounts.AnyAsync(a => a.Slug == request.Slug, cancellationToken))
        {
            throw ApiException.Conflict($"The account slug '{request.Slug}' is already taken.");
        }

        var taken = await db.Accounts.Where(a => a.PhoneNumbers.Any(p => phones.Contains(p)))
            .Select(a => a.Slug).FirstOrDefaultAsync(cancellationToken);
        if (taken is not null)
        {
            throw ApiException.Conflict($"A phone number in phoneNumbers already belongs to another account.");
        }

        var now = clock.GetUtcNow();
        var account = new Account { Slug = request.Slug!, Name = name!, Parent = parent, PhoneNumbers = phones, CreatedAt = now };
        db.Accounts.Add(account);
        if (adminUserId is { } userId)
        {
            db.Memberships.Add(new Membership { Slug = Slugs.New(), Account = account, UserId = userId, Role = Roles.Admin, CreatedAt = now });
        }

        await db.SaveOrConflictAsync($"The account slug '{request.Slug}' is already taken.", cancellationToken);
        return (account, parent);
    }
}
