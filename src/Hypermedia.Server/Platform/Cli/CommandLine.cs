using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.ApiTokens;
using Hypermedia.Server.Features.Staff;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Platform.Cli;

/// <summary>
/// Operator commands run through the same services as the API:
/// <c>migrate</c>, <c>tokens create --email E</c>, <c>accounts create --slug S --name N --phone P</c>,
/// <c>staff grant --email E --level viewer|operator</c>, <c>staff revoke --email E</c>.
/// Results go to stdout (a token alone, for scripts); everything else to stderr.
/// </summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["migrate", "tokens", "accounts", "staff"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(IServiceProvider rootServices, string[] args, TextWriter stdout, TextWriter stderr)
    {
        await using var scope = rootServices.CreateAsyncScope();
        var services = scope.ServiceProvider;
        try
        {
            return (args[0], args.ElementAtOrDefault(1)) switch
            {
                ("migrate", _) => await MigrateAsync(services, stderr),
                ("tokens", "create") => await CreateTokenAsync(services, Options(args), stdout, stderr),
                ("accounts", "create") => await CreateAccountAsync(services, Options(args), stdout, stderr),
                ("staff", "grant") => await SetStaffLevelAsync(services, Options(args), grant: true, stdout, stderr),
                ("staff", "revoke") => await SetStaffLevelAsync(services, Options(args), grant: false, stdout, stderr),
                _ => Usage(stderr),
            };
        }
        catch (ApiException e)
        {
            await stderr.WriteLineAsync(e.Detail);
            foreach (var (field, messages) in e.Errors ?? new Dictionary<string, string[]>())
            {
                await stderr.WriteLineAsync($"  {field}: {string.Join("; ", messages)}");
            }

            return 1;
        }
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, TextWriter stderr)
    {
        await services.GetRequiredService<HypermediaDbContext>().Database.MigrateAsync();
        await stderr.WriteLineAsync("Database is up to date.");
        return 0;
    }

    private static async Task<int> CreateTokenAsync(IServiceProvider services, ILookup<string, string> options, TextWriter stdout, TextWriter stderr)
    {
        var email = options["email"].SingleOrDefault()?.Trim().ToLowerInvariant();
        if (email is null)
        {
            return Usage(stderr);
        }

        var db = services.GetRequiredService<HypermediaDbContext>();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email && u.DiscardedAt == null);
        if (user is null)
        {
            await stderr.WriteLineAsync($"No active user has the email '{email}'.");
            return 1;
        }

        var description = options["description"].SingleOrDefault() ?? "Created on the command line";
        var (_, token) = await services.GetRequiredService<ApiTokenIssuer>().IssueAsync(user.Id, description);
        await stdout.WriteLineAsync(token);
        return 0;
    }

    private static async Task<int> CreateAccountAsync(IServiceProvider services, ILookup<string, string> options, TextWriter stdout, TextWriter stderr)
    {
        var parent = options["parent"].SingleOrDefault();
        var request = new CreateAccountRequest(
            options["slug"].SingleOrDefault(),
            options["name"].SingleOrDefault(),
            [.. options["phone"]],
            parent is null ? null : "/accounts/" + Uri.EscapeDataString(parent));
        long? adminId = null;
        if (options["admin-email"].SingleOrDefault() is { } adminEmail)
        {
            var email = adminEmail.Trim().ToLowerInvariant();
            adminId = await services.GetRequiredService<HypermediaDbContext>().Users
                .Where(u => u.Email == email).Select(u => (long?)u.Id).SingleOrDefaultAsync();
            if (adminId is null)
            {
                await stderr.WriteLineAsync($"No user has the email '{email}'.");
                return 1;
            }
        }

        var (account, _) = await services.GetRequiredService<AccountCreation>().CreateAsync(request, adminId);
        await stdout.WriteLineAsync(account.Slug);
        return 0;
    }

    /// <summary>
    /// Gives (or takes) a user's staff level. Unlike the API it may take the last operator's: the
    /// command line runs on the server itself, and is how the first operator is made again.
    /// </summary>
    private static async Task<int> SetStaffLevelAsync(IServiceProvider services, ILookup<string, string> options, bool grant,
        TextWriter stdout, TextWriter stderr)
    {
        var email = options["email"].SingleOrDefault()?.Trim().ToLowerInvariant();
        var level = StaffLevels.Parse(options["level"].SingleOrDefault());
        if (email is null || (grant && level is null))
        {
            return Usage(stderr);
        }

        try
        {
            var (user, _) = await services.GetRequiredService<StaffGrants>().SetLevelAsync(u => u.Email == email, grant ? level : null, keepAnOperator: false);
            await stdout.WriteLineAsync($"{user.Email} {user.StaffLevel?.Name() ?? "none"}");
            return 0;
        }
        catch (ApiException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            await stderr.WriteLineAsync($"No active user has the email '{email}'.");
            return 1;
        }
    }

    /// <summary>"--name value" pairs; a name may repeat (--phone a --phone b).</summary>
    private static ILookup<string, string> Options(string[] args) =>
        args.Skip(2).Chunk(2)
            .Where(pair => pair.Length == 2 && pair[0].StartsWith("--", StringComparison.Ordinal))
            .ToLookup(pair => pair[0][2..], pair => pair[1]);

    private static int Usage(TextWriter stderr)
    {
        stderr.WriteLine("""
            Usage:
              migrate
              tokens create --email <email> [--description <text>]
              accounts create --slug <slug> --name <name> --phone <e164> [--phone <e164>] [--parent <slug>] [--admin-email <email>]
              staff grant --email <email> --level viewer|operator
              staff revoke --email <email>
            """);
        return 2;
    }
}
