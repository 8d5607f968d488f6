using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Features.WhatsApp;
using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Platform.Startup;

/// <summary>
/// On an empty database: a demo account with one number, WhatsApp enabled on another with two templates
/// (<see cref="WhatsAppDemo"/>), its admin (also staff), and a token to start with.
/// </summary>
public sealed class DemoSeed(HypermediaDbContext db, AccountCreation accounts, ApiTokenIssuer tokens, TimeProvider clock)
{
    public const string AccountSlug = "demo";
    public const string AdminEmail = "admin@demo.example";
    public const string PhoneNumber = "+13035550100";

    /// <summary>Returns the demo token, or null when the database already had users.</summary>
    public async Task<string?> SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return null;
        }

        var admin = new User { Slug = Slugs.New(), Name = "Demo Admin", Email = AdminEmail, StaffLevel = StaffLevel.Operator, CreatedAt = clock.GetUtcNow() };
        db.Users.Add(admin);
        await db.SaveChangesAsync(cancellationToken);
        var (account, _) = await accounts.CreateAsync(new CreateAccountRequest(AccountSlug, "Demo Account", [PhoneNumber], null), admin.Id, cancellationToken);
        (account.WhatsAppEnabled, account.WhatsAppPhoneNumber) = (true, WhatsAppDemo.PhoneNumber);
        db.WhatsAppTemplates.AddRange(WhatsAppDemo.Templates(account.Id, admin.Id, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        var (_, token) = await tokens.IssueAsync(admin.Id, "Demo token created at first start", cancellationToken);
        return token;
    }
}
