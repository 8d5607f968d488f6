using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Cli;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Platform.Cli;

public sealed class CommandLineTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(api.Services, args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Tokens_create_prints_only_a_working_token_for_that_user()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);

        var (exit, output, _) = await RunAsync("tokens", "create", "--email", user.Email.ToUpperInvariant());

        Assert.Equal(0, exit);
        var token = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var me = await (await api.ClientWithToken(token.Trim()).GetAsync("/")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(user.Iri, (string?)me["me"]);
    }

    [Fact]
    public async Task Tokens_create_for_an_unknown_email_fails_on_stderr()
    {
        var (exit, output, error) = await RunAsync("tokens", "create", "--email", "nobody@nowhere.example");

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("nobody@nowhere.example", error);
    }

    [Fact]
    public async Task Accounts_create_stores_the_account_with_its_number_and_admin()
    {
        var parent = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.User, parent);
        var slug = "cli-" + Guid.NewGuid().ToString("N")[..8];

        var (exit, output, _) = await RunAsync("accounts", "create", "--slug", slug, "--name", "Cli Co", "--phone", "720.555.0177",
            "--parent", parent.Slug, "--admin-email", admin.Email);

        Assert.Equal(0, exit);
        Assert.Equal(slug, output.Trim());
        var stored = await api.WithDbAsync(db => db.Accounts.Include(a => a.Parent).SingleAsync(a => a.Slug == slug));
        Assert.Equal(["+17205550177"], stored.PhoneNumbers);
        Assert.Equal(parent.Slug, stored.Parent!.Slug);
        Assert.True(await api.WithDbAsync(db => db.Memberships.AnyAsync(m => m.AccountId == stored.Id && m.UserId == admin.Id && m.Role == "admin")));
    }

    [Fact]
    public async Task Accounts_create_with_an_invalid_number_names_the_field_and_stores_nothing()
    {
        var slug = "cli-" + Guid.NewGuid().ToString("N")[..8];

        var (exit, _, error) = await RunAsync("accounts", "create", "--slug", slug, "--name", "Bad", "--phone", "555");

        Assert.Equal(1, exit);
        Assert.Contains("phoneNumbers[0]", error);
        Assert.False(await api.WithDbAsync(db => db.Accounts.AnyAsync(a => a.Slug == slug)));
    }

    [Fact]
    public async Task An_unknown_command_prints_usage()
    {
        var (exit, _, error) = await RunAsync("tokens", "explode");

        Assert.Equal(2, exit);
        Assert.Contains("Usage", error);
    }
}
