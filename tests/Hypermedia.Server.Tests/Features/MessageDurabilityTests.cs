using System.Net;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

/// <summary>The in-memory host only migrates and arranges the database: it runs no jobs of its own.</summary>
public sealed class ArrangingApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Jobs:RunServer", "false");
    }
}

/// <summary>
/// Exactly once to the carrier, with real server processes on one PostgreSQL database (Hangfire's storage
/// included) and Twilio played by a fake on loopback whose log of received requests is the evidence.
/// </summary>
public sealed class MessageDurabilityTests : IClassFixture<ArrangingApiFactory>, IAsyncLifetime
{
    /// <summary>Guards waits for something that never happens; a takeover takes about the invisibility timeout.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly ArrangingApiFactory api;
    private readonly FakeTwilio twilio = FakeTwilio.Start();
    private readonly List<ServerProcess> processes = [];

    public MessageDurabilityTests(ArrangingApiFactory api) => this.api = api;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        await twilio.DisposeAsync();
    }

    private async Task<ServerProcess> StartAsync(string name, bool runsJobs)
    {
        var process = await ServerProcess.StartAsync(name, api.ConnectionString, new Dictionary<string, string>
        {
            ["Jobs:Storage"] = "PostgreSql",
            ["Jobs:RunServer"] = runsJobs ? "true" : "false",
            ["Jobs:InvisibilityTimeoutSeconds"] = "10",
            ["Jobs:QueuePollSeconds"] = "1",
            ["Carriers:Default"] = "twilio",
            ["Carriers:Twilio:AccountSid"] = "AC00000000000000000000000000000001",
            ["Carriers:Twilio:AuthToken"] = "durability-test-auth-token",
            ["Carriers:Twilio:PublicUrl"] = "https://sms.example.test",
            ["Carriers:Twilio:ApiBaseUrl"] = twilio.BaseUrl.ToString().TrimEnd('/'),
        });
        processes.Add(process);
        return process;
    }

    private async Task<(string Account, string Token)> SenderAsync()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        return (account.Slug, user.Token);
    }

    private async Task<List<string>> SendAsync(ServerProcess server, string token, string account, IEnumerable<string> recipients)
    {
        using var client = server.ClientWithToken(token);
        var slugs = new List<string>();
        foreach (var to in recipients)
        {
            var message = await (await client.PostJsonAsync($"/{account}/messages", new { to, body = "Durable " + to })).ExpectAsync(HttpStatusCode.Created);
            slugs.Add(((string)message["id"]!).Split('/')[^1]);
        }

        return slugs;
    }

    private async Task<Dictionary<string, Message>> WaitUntilAsync(IReadOnlyCollection<string> slugs, Func<Message, bool> settled)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var rows = await api.WithDbAsync(db => db.Messages.AsNoTracking().Where(m => slugs.Contains(m.Slug)).ToDictionaryAsync(m => m.Slug));
            if (rows.Count == slugs.Count && rows.Values.All(settled))
            {
                return rows;
            }

            Assert.True(DateTime.UtcNow < deadline, "not settled: " + string.Join(", ", rows.Values.Select(m => $"{m.Slug} {m.DeliveryState} ({m.FailureReason})"))
                + string.Concat(processes.Select(p => $"\n--- {p.Name}:\n" + string.Join('\n', p.Output.TakeLast(60)))));
            await Task.Delay(100);
        }
    }

    /// <summary>Each message's slug travels in its status callback URL, so the fake's log says which message each request was.</summary>
    private List<string> ReceivedSlugs() =>
        [.. twilio.Received.Select(r => r.StatusCallback ?? "").Select(callback => callback[(callback.LastIndexOf('=') + 1)..])];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Messages_accepted_while_no_worker_runs_are_dispatched_once_after_the_restart(bool killed)
    {
        var (account, token) = await SenderAsync();
        var web = await StartAsync("web-only server", runsJobs: false);
        var recipients = Enumerable.Range(0, 5).Select(i => $"+1303224{(killed ? 1 : 2)}{i:D3}").ToList();
        var slugs = await SendAsync(web, token, account, recipients);
        Assert.Empty(ReceivedSlugs().Intersect(slugs));

        if (killed)
        {
            await web.KillAsync();
        }
        else
        {
            await web.StopAsync();
        }

        await StartAsync("restarted server", runsJobs: true);
        var rows = await WaitUntilAsync(slugs, m => m.DeliveryState == DeliveryStates.Dispatched);

        Assert.Equal(slugs.Order(), ReceivedSlugs().Where(slugs.Contains).Order());
        Assert.All(rows.Values, m => Assert.StartsWith("SM", m.CarrierMessageId));
    }

    [Fact]
    public async Task A_server_killed_during_the_carrier_call_leaves_the_message_unknown_and_not_sent_again()
    {
        var (account, token) = await SenderAsync();
        const string recipient = "+13032243999";
        var hang = twilio.HangFor(recipient);
        var first = await StartAsync("server killed mid-call", runsJobs: true);
        var slugs = await SendAsync(first, token, account, [recipient]);
        await hang.Arrived.WaitAsync(Deadline);

        await first.KillAsync();
        await StartAsync("server taking over", runsJobs: true);
        var rows = await WaitUntilAsync(slugs, m => m.DeliveryState != DeliveryStates.Queued);

        var message = rows[slugs[0]];
        Assert.Equal(DeliveryStates.Unknown, message.DeliveryState);
        Assert.Equal(MessageDispatch.DiedDuringCall, message.FailureReason);
        Assert.Single(twilio.Received, r => r.To == recipient);
    }
}
