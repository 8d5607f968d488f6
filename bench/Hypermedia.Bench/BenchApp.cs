using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Bench;

/// <summary>The real app in memory, on the benchmark's database, without rate limits.</summary>
public sealed class BenchApp : WebApplicationFactory<Program>
{
    private readonly string connectionString;

    public BenchApp(string connectionString)
    {
        this.connectionString = connectionString;
        // Outside a test project WebApplicationFactory cannot guess the content root; the app's files are in our output.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_HYPERMEDIA_SERVER", AppContext.BaseDirectory);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Hypermedia", connectionString);
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("Database:SeedDemo", "false");
        builder.UseSetting("RateLimit:PermitLimit", "1000000000");
    }

    /// <summary>The user <see cref="SeedAccountAsync"/> made, member of every account it or <see cref="AddAccountAsync"/> made.</summary>
    public long UserId { get; private set; }

    public async Task<(Account Account, string Token)> SeedAccountAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<HypermediaDbContext>();
        var user = new User { Slug = Slugs.New(), Name = "Bench", Email = "bench@bench.example", CreatedAt = DateTimeOffset.UtcNow };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        var (account, _) = await services.GetRequiredService<AccountCreation>()
            .CreateAsync(new CreateAccountRequest("bench", "Bench", ["+13035550100"], null), user.Id);
        var (_, token) = await services.GetRequiredService<ApiTokenIssuer>().IssueAsync(user.Id, "bench");
        UserId = user.Id;
        return (account, token);
    }

    /// <summary>Another account of the seeded user, with its own number.</summary>
    public async Task<Account> AddAccountAsync(string slug, string phoneNumber)
    {
        await using var scope = Services.CreateAsyncScope();
        var (account, _) = await scope.ServiceProvider.GetRequiredService<AccountCreation>()
            .CreateAsync(new CreateAccountRequest(slug, slug, [phoneNumber], null), UserId);
        return account;
    }
}
