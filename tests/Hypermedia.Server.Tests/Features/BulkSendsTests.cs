using System.Net;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.BulkSends;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hypermedia.Server.Tests.Features;

public sealed class BulkSendsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(Account Account, HttpClient Client, TestUser User)> MemberAsync(string role = Roles.User)
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(role, account);
        return (account, api.ClientFor(user), user);
    }

    /// <summary>Distinct valid numbers 303-224-xxxx (none ends in a simulator test suffix).</summary>
    private static string[] Numbers(int count, int from = 1000) =>
        [.. Enumerable.Range(from, count).Select(i => "+1303224" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture))];

    private static async Task<JsonNode> WaitForStateAsync(HttpClient client, string iri, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var send = await (await client.GetAsync(iri)).ExpectAsync(HttpStatusCode.OK);
            if ((string?)send["state"] == state)
            {
                return send;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{iri} stayed {(string?)send["state"]}, never {state}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Sending_to_several_numbers_answers_202_with_the_bulk_send_at_its_location()
    {
        var (account, client, user) = await MemberAsync();

        var response = await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(3), body = "Sale today" });
        var send = await response.ExpectAsync(HttpStatusCode.Accepted);

        Assert.Equal((string?)send["id"], response.Headers.Location?.OriginalString);
        Assert.Equal("BulkSend", (string?)send["@type"]);
        Assert.Equal("/contexts/BulkSend.jsonld", (string?)send["@context"]);
        Assert.Equal(3, (int?)send["total"]);
        Assert.Equal("Sale today", (string?)send["body"]);
        Assert.Equal(user.Iri, (string?)send["sender"]);
        Assert.StartsWith("/hangfire/jobs/details/", (string?)send["job"]);
        Assert.Equal((string?)send["id"] + "/cancel", (string?)send["cancel"]);
    }

    [Fact]
    public async Task Accepting_writes_the_numbers_in_one_row_and_the_first_reader_of_the_recipients_writes_them_once()
    {
        var (account, client, _) = await MemberAsync();
        var numbers = Numbers(40, from: 5000);
        var at = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = numbers.Append(numbers[0]), body = "Later", scheduled_at = at }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var id = await api.WithDbAsync(db => db.BulkSends.Where(b => b.AccountId == account.Id).Select(b => b.Id).SingleAsync());

        var accepted = await api.WithDbAsync(db => db.Set<AcceptedRecipients>().AsNoTracking().SingleAsync(a => a.BulkSendId == id));
        Assert.Equal(numbers, accepted.Numbers);
        Assert.Equal(Enumerable.Range(0, 40), accepted.Positions);
        Assert.Equal(0, await api.WithDbAsync(db => db.BulkSendRecipients.CountAsync(r => r.BulkSendId == id)));

        // Eight readers at once: each sees all 40, the rows are written once.
        var pages = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            await (await client.GetAsync((string)send["recipients"]! + "?$top=50")).ExpectAsync(HttpStatusCode.OK)));

        Assert.All(pages, page => Assert.Equal((40, 40), ((int?)page["totalItems"], page["members"]!.AsArray().Count)));
        Assert.Equal(numbers, pages[0]["members"]!.AsArray().Select(m => (string)m!["phoneNumber"]!));
        Assert.Equal(40, await api.WithDbAsync(db => db.BulkSendRecipients.CountAsync(r => r.BulkSendId == id && r.State == RecipientStates.Pending)));
        Assert.False(await api.WithDbAsync(db => db.Set<AcceptedRecipients>().AnyAsync(a => a.BulkSendId == id)));
    }

    [Fact]
    public async Task Cancelling_a_send_whose_recipients_are_not_written_yet_cancels_each_of_them()
    {
        var (account, client, _) = await MemberAsync();
        var at = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Numbers(5, from: 6000), body = "Later", scheduled_at = at }))
            .ExpectAsync(HttpStatusCode.Accepted);

        var cancelled = await (await client.PostAsync((string)send["cancel"]!, null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(("cancelled", 5, 0), ((string?)cancelled["state"], (int?)cancelled["cancelled"], (int?)cancelled["pending"]));
        var id = await api.WithDbAsync(db => db.BulkSends.Where(b => b.AccountId == account.Id).Select(b => b.Id).SingleAsync());
        Assert.Equal(5, await api.WithDbAsync(db => db.BulkSendRecipients.CountAsync(r => r.BulkSendId == id && r.State == RecipientStates.Cancelled)));
        Assert.False(await api.WithDbAsync(db => db.Set<AcceptedRecipients>().AnyAsync(a => a.BulkSendId == id)));
    }

    [Fact]
    public async Task A_bulk_send_fans_out_one_message_per_recipient_and_completes()
    {
        var (account, client, _) = await MemberAsync();
        var numbers = Numbers(30);

        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = numbers, body = "Hello all" })).ExpectAsync(HttpStatusCode.Accepted);
        var done = await WaitForStateAsync(client, (string)send["id"]!, BulkSendStates.Completed);

        Assert.Equal(30, (int?)done["sent"]);
        Assert.Equal(0, (int?)done["pending"]);
        Assert.Equal(1.0, (double?)done["progress"]);
        Assert.Null(done["cancel"]);
        Assert.NotNull(done["completedAt"]);
        var rows = await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == account.Id).Select(m => new { m.PhoneNumber, m.Body, m.DeliveryState, m.BulkSendId }).ToListAsync());
        Assert.Equal(numbers.Order(), rows.Select(r => r.PhoneNumber).Order());
        Assert.All(rows, r => Assert.Equal("Hello all", r.Body));
        Assert.All(rows, r => Assert.NotEqual("queued", r.DeliveryState));
        Assert.Equal(30, await api.WithDbAsync(db => db.Conversations.CountAsync(c => c.AccountId == account.Id)));
    }

    [Fact]
    public async Task Each_recipient_links_its_message_and_the_message_links_its_bulk_send()
    {
        var (account, client, _) = await MemberAsync();
        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(2), body = "hi" })).ExpectAsync(HttpStatusCode.Accepted);
        await WaitForStateAsync(client, (string)send["id"]!, BulkSendStates.Completed);

        var recipients = await (await client.GetAsync((string)send["recipients"]!)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(2, (int?)recipients["totalItems"]);
        var first = recipients["members"]![0]!;
        Assert.Equal("BulkSendRecipient", (string?)first["@type"]);
        Assert.Equal((string?)send["recipients"] + "#recipient-0", (string?)first["id"]);
        Assert.Equal(0, (int?)first["position"]);
        Assert.Equal("sent", (string?)first["state"]);
        var message = await (await client.GetAsync((string)first["message"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((string?)send["id"], (string?)message["bulkSend"]);
        Assert.Equal((string?)first["phoneNumber"], (string?)message["to"]);
    }

    [Fact]
    public async Task Numbers_that_normalize_alike_collapse_to_the_first()
    {
        var (account, client, _) = await MemberAsync();

        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = new[] { "+13032241001", "(303) 224-1001", "303.224.1002" }, body = "hi" }))
            .ExpectAsync(HttpStatusCode.Accepted);

        Assert.Equal(2, (int?)send["total"]);
        // Read through the API, as a client would: the rows may not be written yet, and reading them writes them.
        var recipients = await (await client.GetAsync((string)send["recipients"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([(0, "+13032241001"), (2, "+13032241002")],
            recipients["members"]!.AsArray().Select(m => ((int)m!["position"]!, (string)m["phoneNumber"]!)));
    }

    [Fact]
    public async Task Any_bad_entry_is_422_naming_each_by_index_and_nothing_is_written()
    {
        var (account, client, _) = await MemberAsync();

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = new object[] { "+13032241001", "not a number", 42, "+13031234567" }, body = "hi" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["to[1]", "to[2]", "to[3]"], errors.Select(e => e.Key).Order());
        Assert.Contains("not a valid phone number", (string?)errors["to[3]"]![0]);
        Assert.Equal(0, await api.WithDbAsync(db => db.BulkSends.CountAsync(b => b.AccountId == account.Id)));
        Assert.Equal(0, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task More_than_ten_thousand_recipients_is_422_naming_to()
    {
        var (account, client, _) = await MemberAsync();

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(10_001, from: 0).Select(n => n[..8] + "5" + n[9..]).ToArray(), body = "hi" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("at most 10,000", (string?)problem["errors"]!["to"]![0]);
    }

    [Fact]
    public async Task A_restricted_account_may_not_send_to_several_numbers()
    {
        var (account, client, _) = await MemberAsync();
        await api.WithDbAsync(db => db.Accounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.MessagingRestricted, true)));

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(2), body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]!["account"]);
        Assert.Equal(0, await api.WithDbAsync(db => db.BulkSends.CountAsync(b => b.AccountId == account.Id)));
    }

    [Fact]
    public async Task Opted_out_and_blocked_recipients_are_skipped_with_the_reason()
    {
        var (account, client, _) = await MemberAsync(Roles.Admin);
        var numbers = Numbers(3, from: 2000);
        await (await client.PutAsync($"/{account.Slug}/opt_outs/{Uri.EscapeDataString(numbers[0])}", null)).ExpectAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "Blocked Person", phones = new[] { new { number = numbers[1] } } })).ExpectAsync(HttpStatusCode.Created);
        await api.WithDbAsync(db => db.Contacts.Where(c => c.AccountId == account.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.BlockedAt, DateTimeOffset.UtcNow)));

        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = numbers, body = "hi" })).ExpectAsync(HttpStatusCode.Accepted);
        var done = await WaitForStateAsync(client, (string)send["id"]!, BulkSendStates.Completed);
        var skipped = await (await client.GetAsync((string)send["recipients"]! + "?$filter=" + Uri.EscapeDataString("state eq 'skipped'") + "&$orderby=position"))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(1, (int?)done["sent"]);
        Assert.Equal(2, (int?)done["skipped"]);
        Assert.Equal(2, (int?)skipped["totalItems"]);
        Assert.Contains("opted out", (string?)skipped["members"]![0]!["reason"]);
        Assert.Contains("blocked", (string?)skipped["members"]![1]!["reason"]);
        Assert.Null(skipped["members"]![0]!["message"]);
        Assert.Equal([numbers[2]], await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == account.Id).Select(m => m.PhoneNumber).ToListAsync()));
    }

    [Fact]
    public async Task The_account_lists_its_bulk_sends_newest_first()
    {
        var (account, client, _) = await MemberAsync();
        var older = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(2), body = "one" })).ExpectAsync(HttpStatusCode.Accepted);
        var newer = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(2, from: 3000), body = "two" })).ExpectAsync(HttpStatusCode.Accepted);
        var accountDoc = await (await client.GetAsync($"/accounts/{account.Slug}")).ExpectAsync(HttpStatusCode.OK);

        var list = await (await client.GetAsync((string)accountDoc["bulkSends"]!)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([(string)newer["id"]!, (string)older["id"]!], list.MemberIds());
    }

    [Fact]
    public async Task Another_accounts_bulk_send_and_its_recipients_are_404_and_cannot_be_cancelled()
    {
        var (account, client, _) = await MemberAsync();
        var (_, outsider, _) = await MemberAsync(Roles.Admin);
        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Numbers(2), body = "hi", scheduled_at = "2058-10-25T18:09:13Z" }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var iri = (string)send["id"]!;

        await (await outsider.GetAsync(iri)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync(iri + "/recipients")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PostAsync(iri + "/cancel", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"/{account.Slug}/bulk_sends")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("scheduled", (string?)(await (await client.GetAsync(iri)).ExpectAsync(HttpStatusCode.OK))["state"]);
    }

    [Fact]
    public async Task Cancelling_stops_every_unprocessed_recipient_and_a_second_cancel_is_409()
    {
        var (account, client, _) = await MemberAsync();
        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Numbers(3), body = "hi", scheduled_at = "2058-10-25T18:09:13Z" }))
            .ExpectAsync(HttpStatusCode.Accepted);

        var cancelled = await (await client.PostAsync((string)send["cancel"]!, null)).ExpectAsync(HttpStatusCode.OK);
        var again = await (await client.PostAsync((string)send["id"]! + "/cancel", null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("cancelled", (string?)cancelled["state"]);
        Assert.Equal(3, (int?)cancelled["cancelled"]);
        Assert.Equal(0, (int?)cancelled["pending"]);
        Assert.Null(cancelled["cancel"]);
        Assert.Contains("cancelled", (string?)again["detail"]);
        var states = await api.WithDbAsync(db => db.BulkSendRecipients.Where(r => r.BulkSend!.AccountId == account.Id).Select(r => r.State).Distinct().ToListAsync());
        Assert.Equal(["cancelled"], states);
    }

    [Fact]
    public async Task Only_the_sender_or_an_admin_may_cancel()
    {
        var (account, client, _) = await MemberAsync();
        var colleague = api.ClientFor(await api.CreateUserAsync(Roles.User, account));
        var admin = api.ClientFor(await api.CreateUserAsync(Roles.Admin, account));
        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Numbers(2), body = "hi", scheduled_at = "2058-10-25T18:09:13Z" }))
            .ExpectAsync(HttpStatusCode.Accepted);

        await (await colleague.GetAsync((string)send["id"]!)).ExpectAsync(HttpStatusCode.OK);
        await (await colleague.PostAsync((string)send["cancel"]!, null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.PostAsync((string)send["cancel"]!, null)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Simultaneous_cancels_cancel_once_and_the_others_are_409()
    {
        var (account, client, _) = await MemberAsync();
        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages/schedule", new { to = Numbers(50), body = "hi", scheduled_at = "2058-10-25T18:09:13Z" }))
            .ExpectAsync(HttpStatusCode.Accepted);

        var responses = await Concurrently.SendAsync(8, _ => client.PostAsync((string)send["cancel"]!, null));

        Assert.Equal(new Dictionary<int, int> { [200] = 1, [409] = 7 }, responses.CountByStatus());
        Assert.Equal(50, await api.WithDbAsync(db => db.BulkSends.Where(b => b.AccountId == account.Id).Select(b => b.CancelledCount).SingleAsync()));
    }

    [Fact]
    public async Task A_second_fan_out_run_after_completion_sends_nobody_again()
    {
        var (account, client, _) = await MemberAsync();
        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(5), body = "hi" })).ExpectAsync(HttpStatusCode.Accepted);
        await WaitForStateAsync(client, (string)send["id"]!, BulkSendStates.Completed);
        var id = await api.WithDbAsync(db => db.BulkSends.Where(b => b.AccountId == account.Id).Select(b => b.Id).SingleAsync());

        await api.WithServicesAsync(services => ActivatorUtilities.CreateInstance<BulkSendFanOut>(services).RunAsync(id, 0, null));

        Assert.Equal(5, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.BulkSendId == id)));
    }

    [Fact]
    public async Task Many_fan_out_runs_at_once_on_small_chunks_all_finish_and_send_each_recipient_once()
    {
        // Every chunk locks the send and updates its counts: runs that each held a share lock deadlocked there.
        var (account, client, _) = await MemberAsync();
        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(300, from: 5000), body = "hi" })).ExpectAsync(HttpStatusCode.Accepted);
        var id = await api.WithDbAsync(db => db.BulkSends.Where(b => b.AccountId == account.Id).Select(b => b.Id).SingleAsync());
        var smallChunks = Microsoft.Extensions.Options.Options.Create(new BulkSendOptions { ChunkSize = 3 });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            api.WithServicesAsync(services => ActivatorUtilities.CreateInstance<BulkSendFanOut>(services, smallChunks).RunAsync(id, 0, null)))));

        var done = await WaitForStateAsync(client, (string)send["id"]!, BulkSendStates.Completed);
        Assert.Equal(300, (int?)done["sent"]);
        Assert.Equal(300, await api.WithDbAsync(db => db.Messages.Where(m => m.BulkSendId == id).Select(m => m.PhoneNumber).Distinct().CountAsync()));
        Assert.Equal(300, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.BulkSendId == id)));
    }

    [Fact]
    public async Task The_database_refuses_a_second_message_to_a_recipient_of_the_same_bulk_send()
    {
        var (account, client, user) = await MemberAsync();
        var send = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Numbers(2), body = "hi" })).ExpectAsync(HttpStatusCode.Accepted);
        await WaitForStateAsync(client, (string)send["id"]!, BulkSendStates.Completed);
        var sent = await api.WithDbAsync(db => db.Messages.Where(m => m.AccountId == account.Id).OrderBy(m => m.Id).FirstAsync());
        var number = await api.AccountNumberAsync(account.Slug);

        var duplicate = Texts.OutgoingMessage(account.Id, number, sent.PhoneNumber, DateTimeOffset.UtcNow);
        duplicate.BulkSendId = sent.BulkSendId;
        duplicate.SenderId = user.Id;
        var error = await Assert.ThrowsAnyAsync<Exception>(() => api.RecordOutgoingAsync(duplicate));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, (error.InnerException as PostgresException ?? error as PostgresException)?.SqlState);
    }

    [Fact]
    public async Task The_sweep_starts_a_bulk_send_left_queued_without_jobs()
    {
        var (account, _, user) = await MemberAsync();
        var number = await api.AccountNumberAsync(account.Slug);
        var stale = DateTimeOffset.UtcNow - BulkSendSweep.Grace - TimeSpan.FromMinutes(1);
        var id = await api.WithDbAsync(async db =>
        {
            var send = new BulkSend
            {
                Slug = Hypermedia.Server.Platform.Slugs.New(),
                AccountId = account.Id,
                SenderId = user.Id,
                AccountPhoneNumber = number,
                Body = "left behind",
                State = BulkSendStates.Queued,
                TotalCount = 2,
                CreatedAt = stale,
                LatestEventAt = stale,
            };
            db.BulkSends.Add(send);
            // As accepting leaves it when the process dies before the job exists: the numbers, no recipient rows yet.
            db.Add(new AcceptedRecipients { BulkSend = send, Numbers = Numbers(2, from: 4000), Positions = [0, 1] });
            await db.SaveChangesAsync();
            return send.Id;
        });

        await api.WithServicesAsync(services => ActivatorUtilities.CreateInstance<BulkSendSweep>(services).RunAsync());

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await api.WithDbAsync(db => db.BulkSends.Where(b => b.Id == id).Select(b => b.State).SingleAsync()) != BulkSendStates.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the swept bulk send never completed");
            await Task.Delay(50);
        }

        Assert.Equal(2, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.BulkSendId == id)));
    }
}
