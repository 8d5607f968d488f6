using System.Net.Http.Headers;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>The real app, in memory, on a database of its own in the shared test cluster.</summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string connectionString = "";

    public string ConnectionString => connectionString;

    /// <summary>Requests per window; tests of the limiter lower it.</summary>
    protected virtual int RateLimit => 100_000;

    /// <summary>Long windows, so a test never straddles a window boundary.</summary>
    protected virtual int RateLimitWindowSeconds => 3600;

    /// <summary>Hangfire's storage: in memory for tests that do not test durability; the job tests use PostgreSql.</summary>
    protected virtual string JobStorage => "InMemory";

    /// <summary>
    /// Addresses the outbound guard lets through although they are not public: loopback, where the tests'
    /// file servers run. Tests of the guard's defaults allow none.
    /// </summary>
    protected virtual string[] OutboundAllowedAddresses => ["127.0.0.1"];

    /// <summary>This host's attachment blobs, in a folder of its own.</summary>
    public string BlobDirectory { get; } = Path.Combine(Path.GetTempPath(), "hypermedia-blobs-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>What a test playing the contact sends to the simulator's inbound endpoint.</summary>
    public const string SimulatorSecret = "test-simulator-secret";

    public async Task InitializeAsync()
    {
        connectionString = await TestDatabase.CreateDatabaseAsync();
        Start();
    }

    /// <summary>Starts the app now, so migrations run once, before any test.</summary>
    protected virtual void Start() => _ = Server;

    public new async Task DisposeAsync()
    {
        string? appConnection = null;
        try
        {
            appConnection = await WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()));
        }
        catch (Exception)
        {
            // A host that cannot start (a test of exactly that) has opened no pool.
        }

        await base.DisposeAsync();
        // The run's one test cluster allows 100 connections: a finished class's idle pooled ones would
        // otherwise stay open until the run ends, and enough classes with parallel tests use them all.
        if (appConnection is not null)
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(appConnection));
        }

        if (Directory.Exists(BlobDirectory))
        {
            Directory.Delete(BlobDirectory, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Hypermedia", connectionString);
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("Database:SeedDemo", "false");
        builder.UseSetting("RateLimit:PermitLimit", RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimit:WindowSeconds", RateLimitWindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Jobs:Storage", JobStorage);
        builder.UseSetting("Carriers:Simulator:Secret", SimulatorSecret);
        builder.UseSetting("Carriers:Simulator:DeliveryDelayMilliseconds", "100");
        builder.UseSetting("Attachments:Directory", BlobDirectory);
        for (var i = 0; i < OutboundAllowedAddresses.Length; i++)
        {
            builder.UseSetting($"Outbound:AllowedAddresses:{i}", OutboundAllowedAddresses[i]);
        }
    }

    public async Task<T> WithDbAsync<T>(Func<HypermediaDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<HypermediaDbContext>());
    }

    public async Task WithServicesAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    public async Task<T> WithServicesAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>An account with a fresh, unique slug and one number.</summary>
    public async Task<Account> CreateAccountAsync(string? slugPrefix = null, string? parentSlug = null)
    {
        Account? account = null;
        await WithServicesAsync(async services =>
        {
            var slug = (slugPrefix ?? "acct") + "-" + Slugs.New(6).ToLowerInvariant();
            var phone = "+1303" + Random.Shared.Next(2_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            (account, _) = await services.GetRequiredService<AccountCreation>().CreateAsync(
                new CreateAccountRequest(slug, "Account " + slug, [phone], parentSlug is null ? null : "/accounts/" + parentSlug), null);
        });
        return account!;
    }

    /// <summary>A user with a membership in each account given (role per account), and a token for them.</summary>
    public async Task<TestUser> CreateUserAsync(string role, params Account[] accounts) =>
        await CreateUserAsync(role, staff: false, accounts);

    /// <summary>As above; a staff user is a staff operator (staff powers in the API).</summary>
    public async Task<TestUser> CreateUserAsync(string role, bool staff, params Account[] accounts) =>
        await CreateUserAsync(role, staff ? StaffLevel.Operator : null, accounts);

    public async Task<TestUser> CreateUserAsync(string role, StaffLevel? staffLevel, params Account[] accounts)
    {
        TestUser? created = null;
        await WithServicesAsync(async services =>
        {
            var db = services.GetRequiredService<HypermediaDbContext>();
            var slug = Slugs.New();
            var user = new User { Slug = slug, Name = "Test " + slug, Email = $"{slug.ToLowerInvariant()}@test.example", StaffLevel = staffLevel, CreatedAt = DateTimeOffset.UtcNow };
            user.Memberships.AddRange(accounts.Select(a => new Membership { Slug = Slugs.New(), AccountId = a.Id, Role = role, CreatedAt = DateTimeOffset.UtcNow }));
            db.Users.Add(user);
            await db.SaveChangesAsync();
            var (_, token) = await services.GetRequiredService<ApiTokenIssuer>().IssueAsync(user.Id, "test");
            created = new TestUser(user.Id, user.Slug, user.Email, token);
        });
        return created!;
    }

    public HttpClient ClientFor(TestUser user) => ClientWithToken(user.Token);

    public HttpClient ClientWithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

public sealed record TestUser(long Id, string Slug, string Email, string Token)
{
    public string Iri => "/users/" + Slug;
}
