using System.Net;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Features;

public sealed class ScheduledMessagesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Recipient = "+13032251234";
    private const string FarFuture = "2058-10-25T18:09:13Z";

    private async Task<(Account Account, HttpClient Client)> MemberAsync()
    {
        var account = await api.CreateAccountAsync();
        return (account, api.ClientFor(await api.CreateUserAsync(Roles.User, account)));
    }

    private static string Soon(TimeSpan after) => (DateTimeOffset.UtcNow + after).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<JsonNode> WaitUntilAsync(HttpClient client, string iri, Func<JsonNode, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var resource = await (await client.GetAsync(iri)).ExpectAsync(HttpStatusCode.OK);
            if (done(resource))
            {
                return resource;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{iri} never {what}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Scheduling_one_message_answers_201_scheduled_with_the_scheduled_flag()
    {
        var (account, client) = await MemberAsync();

        var message = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Recipient, body = "Later", scheduled_at = FarFuture }))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("scheduled", (string?)message["deliveryState"]);
        Assert.Equal(["scheduled"], message["flags"].Strings());
        Assert.Equal(new DateTimeOffset(2058, 10, 25, 18, 9, 13, TimeSpan.Zero), DateTimeOffset.Parse((string)message["scheduledAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        var jobId = await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == account.Id).Select(m => m.ScheduledJobId).SingleAsync());
        Assert.NotNull(jobId);
    }

    [Theory]
    [InlineData("2020-01-01T00:00:00Z", "must be in the future")]
    [InlineData("tomorrow", "RFC 3339")]
    [InlineData("2058-10-25 18:09:13", "RFC 3339")]
    [InlineData("2058-10-25T18:09:13", "RFC 3339")]
    [InlineData("", "is required")]
    public async Task A_past_or_malformed_scheduled_at_is_422_naming_it_and_nothing_is_written(string scheduledAt, string rule)
    {
        var (account, client) = await MemberAsync();

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Recipient, body = "Later", scheduled_at = scheduledAt }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains(rule, (string?)problem["errors"]!["scheduledAt"]![0]);
        Assert.Equal(0, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_scheduled_message_is_sent_at_its_time()
    {
        var (account, client) = await MemberAsync();
        var message = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Recipient, body = "Soon", scheduled_at = Soon(TimeSpan.FromSeconds(2)) }))
            .ExpectAsync(HttpStatusCode.Created);

        var sent = await WaitUntilAsync(client, (string)message["id"]!, m => (string?)m["deliveryState"] is "dispatched" or "delivered", "was sent");

        Assert.Equal(["scheduled"], sent["flags"].Strings());
        Assert.True(DateTimeOffset.UtcNow >= DateTimeOffset.Parse((string)message["scheduledAt"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Deleting_a_scheduled_message_cancels_it_with_204_and_later_it_is_404()
    {
        var (account, client) = await MemberAsync();
        var message = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Recipient, body = "Later", scheduled_at = FarFuture }))
            .ExpectAsync(HttpStatusCode.Created);
        var conversation = (string)message["conversation"]!;

        var deleted = await client.DeleteAsync((string)message["id"]!);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await client.GetAsync((string)message["id"]!)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync((string)message["id"]!)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var timeline = await (await client.GetAsync(conversation + "/timeline")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, (int?)timeline["totalItems"]);
    }

    [Fact]
    public async Task Deleting_a_message_that_is_not_scheduled_is_409_and_keeps_it()
    {
        var (account, client) = await MemberAsync();
        var message = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient, body = "Now" })).ExpectAsync(HttpStatusCode.Created);

        var problem = await (await client.DeleteAsync((string)message["id"]!)).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("Only a scheduled message", (string?)problem["detail"]);
        await (await client.GetAsync((string)message["id"]!)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Simultaneous_deletes_of_a_scheduled_message_delete_it_once()
    {
        var (account, client) = await MemberAsync();
        var message = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Recipient, body = "Later", scheduled_at = FarFuture }))
            .ExpectAsync(HttpStatusCode.Created);

        var responses = await Concurrently.SendAsync(8, _ => client.DeleteAsync((string)message["id"]!));

        var counts = responses.CountByStatus();
        Assert.Equal(1, counts[204]);
        Assert.Equal(7, counts.Where(c => c.Key is 404 or 409).Sum(c => c.Value));
        Assert.Equal(0, await api.WithDbAsync(db => db.Conversations.Where(c => c.AccountId == account.Id).Select(c => c.MessageCount).SingleAsync()));
    }

    [Fact]
    public async Task Another_accounts_scheduled_message_cannot_be_deleted()
    {
        var (account, client) = await MemberAsync();
        var (_, outsider) = await MemberAsync();
        var message = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Recipient, body = "Later", scheduled_at = FarFuture }))
            .ExpectAsync(HttpStatusCode.Created);

        await (await outsider.DeleteAsync((string)message["id"]!)).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("scheduled", (string?)(await (await client.GetAsync((string)message["id"]!)).ExpectAsync(HttpStatusCode.OK))["deliveryState"]);
    }

    [Fact]
    public async Task Scheduling_several_recipients_answers_202_with_a_scheduled_bulk_send_that_fans_out_at_its_time()
    {
        var (account, client) = await MemberAsync();

        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = new[] { "+13032251235", "+13032251236" }, body = "Soon", scheduled_at = Soon(TimeSpan.FromSeconds(2)) }))
            .ExpectAsync(HttpStatusCode.Accepted);

        Assert.Equal("scheduled", (string?)send["state"]);
        Assert.NotNull(send["scheduledAt"]);
        await WaitUntilAsync(client, (string)send["id"]!, s => (string?)s["state"] == "completed", "completed");
        var flags = await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == account.Id).Select(m => m.Flags).ToListAsync());
        Assert.Equal(2, flags.Count);
        Assert.All(flags, f => Assert.Equal(["scheduled"], f));
    }

    /// <summary>Runs the message's release job now, as Hangfire would at its time.</summary>
    private Task ReleaseNowAsync(string iri) => api.WithServicesAsync(async services =>
    {
        var slug = iri.Split('/')[^1];
        var id = await services.GetRequiredService<Hypermedia.Server.Persistence.HypermediaDbContext>().Messages.Where(m => m.Slug == slug).Select(m => m.Id).SingleAsync();
        await ActivatorUtilities.CreateInstance<ScheduledMessages>(services).ReleaseAsync(id);
    });

    [Fact]
    public async Task A_recipient_who_opted_out_before_the_time_is_not_sent_and_the_message_ends_failed_with_why()
    {
        var account = await api.CreateAccountAsync();
        var client = api.ClientFor(await api.CreateUserAsync(Roles.Admin, account));
        var message = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Recipient, body = "Later", scheduled_at = FarFuture }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await client.PutAsync($"/{account.Slug}/opt_outs/{Uri.EscapeDataString(Recipient)}", null)).ExpectAsync(HttpStatusCode.Created);

        await ReleaseNowAsync((string)message["id"]!);

        var ended = await (await client.GetAsync((string)message["id"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("failed", (string?)ended["deliveryState"]);
        Assert.Equal("Message Failed (not sent: " + Recipient + " has opted out of messages from this account)", (string?)ended["friendlyStateDescription"]);
        var row = await api.WithDbAsync(db => db.Messages.SingleAsync(m => m.AccountId == account.Id));
        Assert.Null(row.DispatchStartedAt);
        Assert.Null(row.CarrierMessageId);
        Assert.StartsWith("not sent: " + Recipient + " has opted out", row.FailureReason);
    }

    [Fact]
    public async Task A_scheduled_message_of_an_account_restricted_meanwhile_is_not_sent()
    {
        var (account, client) = await MemberAsync();
        var message = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Recipient, body = "Later", scheduled_at = FarFuture }))
            .ExpectAsync(HttpStatusCode.Created);
        await api.WithDbAsync(db => db.Accounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.MessagingRestricted, true)));

        await ReleaseNowAsync((string)message["id"]!);

        var row = await api.WithDbAsync(db => db.Messages.SingleAsync(m => m.AccountId == account.Id));
        Assert.Equal(DeliveryStates.Failed, row.DeliveryState);
        Assert.Null(row.DispatchStartedAt);
        Assert.Contains("restricted", row.FailureReason);
    }

    [Fact]
    public async Task A_release_after_a_cancel_does_nothing()
    {
        var (account, client) = await MemberAsync();
        var message = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Recipient, body = "Later", scheduled_at = FarFuture }))
            .ExpectAsync(HttpStatusCode.Created);
        var slug = ((string)message["id"]!).Split('/')[^1];
        var id = await api.WithDbAsync(db => db.Messages.Where(m => m.Slug == slug).Select(m => m.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync((string)message["id"]!)).StatusCode);

        await api.WithServicesAsync(services => ActivatorUtilities.CreateInstance<ScheduledMessages>(services).ReleaseAsync(id));

        Assert.Equal(0, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
    }
}
