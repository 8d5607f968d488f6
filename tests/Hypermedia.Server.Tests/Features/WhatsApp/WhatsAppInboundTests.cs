using System.Data.Common;
using System.Net;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Carriers.Simulator;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Features.WhatsApp;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hypermedia.Server.Tests.Features.WhatsApp;

/// <summary>WhatsApp messages people send to an account's WhatsApp number, and the 24-hour window they open.</summary>
public sealed class WhatsAppInboundTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private async Task<(Account Account, string WhatsAppNumber, HttpClient Admin)> WhatsAppAccountAsync()
    {
        var account = await api.CreateAccountAsync();
        var number = await api.EnableWhatsAppAsync(account);
        return (account, number, api.ClientFor(await api.CreateUserAsync(Roles.Admin, account)));
    }

    private Task<HttpResponseMessage> SimulateAsync(object body)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add(SimulatorArea.SecretHeader, ApiFactory.SimulatorSecret);
        return client.PostJsonAsync("/carriers/simulator/inbound", body);
    }

    private Task<bool> IsOpenAsync(Account account, string number, DateTimeOffset now) =>
        api.WithDbAsync(db => WhatsAppWindow.IsOpenAsync(db, account.Id, number, now, default));

    [Fact]
    public async Task The_simulator_plays_a_whatsapp_message_to_the_accounts_whatsapp_number()
    {
        var (account, number, _) = await WhatsAppAccountAsync();

        var message = await (await SimulateAsync(new { from = "+13035550181", to = number, body = "Hola", channel = "whatsapp" })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(("whatsapp", "in", "received", "+13035550181", number), ((string?)message["channel"], (string?)message["direction"],
            (string?)message["deliveryState"], (string?)message["from"], (string?)message["to"]));
        Assert.Null(message["whatsAppTemplate"]);
        Assert.Equal(account.Id, await api.WithDbAsync(db => db.Messages.Where(m => m.Slug == ((string)message["id"]!).Split('/', StringSplitOptions.None)[2]).Select(m => m.AccountId).SingleAsync()));
    }

    [Fact]
    public async Task A_whatsapp_address_makes_the_simulated_message_whatsapp_without_a_channel()
    {
        var (_, number, _) = await WhatsAppAccountAsync();

        var message = await (await SimulateAsync(new { from = "whatsapp:+13035550182", to = "whatsapp:" + number, body = "Hola" })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(("whatsapp", "+13035550182"), ((string?)message["channel"], (string?)message["from"]));
    }

    [Theory]
    [InlineData("fax", false, "channel", "must be one of sms, whatsapp")]
    [InlineData("sms", true, "channel", "is sms, but from or to is a whatsapp: address")]
    public async Task A_bad_simulated_channel_is_422(string channel, bool whatsAppAddress, string field, string rule)
    {
        var (account, number, _) = await WhatsAppAccountAsync();

        var problem = await (await SimulateAsync(new { from = (whatsAppAddress ? "whatsapp:" : "") + "+13035550183", to = number, body = "Hola", channel }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(rule, (string?)problem["errors"]![field]![0]);
        Assert.False(await api.WithDbAsync(db => db.Messages.AnyAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_whatsapp_message_to_an_sms_number_and_a_text_to_a_whatsapp_number_are_422()
    {
        var (account, number, _) = await WhatsAppAccountAsync();

        var toSms = await (await SimulateAsync(new { from = "+13035550184", to = account.PhoneNumbers[0], body = "Hola", channel = "whatsapp" }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var toWhatsApp = await (await SimulateAsync(new { from = "+13035550184", to = number, body = "Hello" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal($"{account.PhoneNumbers[0]} is not the WhatsApp number of any account.", (string?)toSms["errors"]!["to"]![0]);
        Assert.Equal($"{number} is not the number of any account.", (string?)toWhatsApp["errors"]!["to"]![0]);
        Assert.False(await api.WithDbAsync(db => db.Messages.AnyAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_disabled_accounts_whatsapp_number_still_receives()
    {
        var (account, number, client) = await WhatsAppAccountAsync();
        await (await client.SendRawAsync(HttpMethod.Patch, $"/accounts/{account.Slug}", """{"settings":{"whatsApp":{"enabled":false,"phoneNumber":""" + "\"" + number + "\"}}}"))
            .ExpectAsync(HttpStatusCode.OK);

        await (await SimulateAsync(new { from = "+13035550185", to = number, body = "Still there?", channel = "whatsapp" })).ExpectAsync(HttpStatusCode.Created);

        Assert.True(await api.WithDbAsync(db => db.Messages.AnyAsync(m => m.AccountId == account.Id && m.Channel == "whatsapp")));
    }

    [Fact]
    public async Task One_conversation_holds_a_numbers_texts_and_whatsapp_messages_each_with_its_channel()
    {
        var (account, number, client) = await WhatsAppAccountAsync();
        await (await SimulateAsync(new { from = "+13035550186", to = account.PhoneNumbers[0], body = "By text" })).ExpectAsync(HttpStatusCode.Created);
        await (await SimulateAsync(new { from = "+13035550186", to = number, body = "By WhatsApp", channel = "whatsapp" })).ExpectAsync(HttpStatusCode.Created);

        var conversation = await (await client.GetAsync($"/{account.Slug}/conversations/%2B13035550186")).ExpectAsync(HttpStatusCode.OK);
        var timeline = await (await client.GetAsync((string)conversation["timeline"]!)).ExpectAsync(HttpStatusCode.OK);
        var whatsAppOnly = await (await client.GetAsync((string)conversation["timeline"]! + "?$filter=" + Uri.EscapeDataString("channel eq 'whatsapp'"))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([("By WhatsApp", "whatsapp", number), ("By text", "sms", account.PhoneNumbers[0])],
            timeline["members"]!.AsArray().Select(m => ((string)m!["body"]!, (string)m["channel"]!, (string)m["to"]!)));
        Assert.Equal(["By WhatsApp"], whatsAppOnly["members"]!.AsArray().Select(m => (string?)m!["body"]));
        Assert.Equal(1, await api.WithDbAsync(db => db.Conversations.CountAsync(c => c.AccountId == account.Id)));
    }

    [Fact]
    public async Task The_window_is_open_23h59m_after_an_inbound_whatsapp_message_and_closed_24h01m_after()
    {
        api.Clock.Reset();
        var (account, number, _) = await WhatsAppAccountAsync();
        await api.WhatsAppInboundAsync("+13035550187", number);

        api.Clock.Advance(TimeSpan.FromHours(24) - Minute);
        Assert.True(await IsOpenAsync(account, "+13035550187", api.Clock.GetUtcNow()));

        api.Clock.Advance(2 * Minute);
        Assert.False(await IsOpenAsync(account, "+13035550187", api.Clock.GetUtcNow()));
        api.Clock.Reset();
    }

    [Fact]
    public async Task The_window_opens_at_the_message_inclusive_and_closes_exactly_24_hours_later_exclusive()
    {
        var (account, number, _) = await WhatsAppAccountAsync();
        var received = (await api.WhatsAppInboundAsync("+13035550188", number)).CreatedAt;

        Assert.True(await IsOpenAsync(account, "+13035550188", received));
        Assert.True(await IsOpenAsync(account, "+13035550188", received + TimeSpan.FromHours(24) - TimeSpan.FromTicks(10)));
        Assert.False(await IsOpenAsync(account, "+13035550188", received + TimeSpan.FromHours(24)));
        Assert.True(await IsOpenAsync(account, "+13035550188", received - Minute)); // a server whose clock is a little behind
    }

    [Fact]
    public async Task A_later_whatsapp_message_reopens_the_window_from_its_own_time()
    {
        api.Clock.Reset();
        var (account, number, _) = await WhatsAppAccountAsync();
        await api.WhatsAppInboundAsync("+13035550189", number);
        api.Clock.Advance(TimeSpan.FromHours(30));
        var later = (await api.WhatsAppInboundAsync("+13035550189", number)).CreatedAt;
        api.Clock.Reset();

        Assert.True(await IsOpenAsync(account, "+13035550189", later + TimeSpan.FromHours(23)));
        Assert.False(await IsOpenAsync(account, "+13035550189", later + TimeSpan.FromHours(25)));
    }

    [Fact]
    public async Task Only_an_inbound_whatsapp_message_from_that_number_to_that_account_opens_it()
    {
        var (account, number, _) = await WhatsAppAccountAsync();
        var (other, otherNumber, _) = await WhatsAppAccountAsync();
        var now = api.Clock.GetUtcNow();
        await api.InboundAsync(account.Slug, "+13035550190"); // a text
        var outgoing = Texts.OutgoingMessage(account.Id, number, "+13035550191", now);
        outgoing.Channel = MessageChannels.WhatsApp;
        await api.RecordOutgoingAsync(outgoing); // sent by the account
        await api.WhatsAppInboundAsync("+13035550192", otherNumber); // to another account

        Assert.False(await IsOpenAsync(account, "+13035550190", now + Minute));
        Assert.False(await IsOpenAsync(account, "+13035550191", now + Minute));
        Assert.False(await IsOpenAsync(account, "+13035550192", now + Minute));
        Assert.True(await IsOpenAsync(other, "+13035550192", now + Minute));
    }

    [Fact]
    public async Task The_window_lookup_runs_on_its_partial_index()
    {
        var (account, number, _) = await WhatsAppAccountAsync();
        await api.WhatsAppInboundAsync("+13035550193", number);
        var capture = new CommandCapture();
        var appOptions = api.Services.GetRequiredService<DbContextOptions<HypermediaDbContext>>();
        var options = new DbContextOptionsBuilder<HypermediaDbContext>(appOptions).AddInterceptors(capture).Options;
        await using (var db = new HypermediaDbContext(options))
        {
            Assert.True(await WhatsAppWindow.IsOpenAsync(db, account.Id, "+13035550193", api.Clock.GetUtcNow(), default));
        }

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + capture.Text, connection);
        foreach (var parameter in capture.Parameters)
        {
            explain.Parameters.Add(parameter.Clone());
        }

        Assert.NotEmpty(capture.Text);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains("ix_messages_whats_app_inbound", StringComparison.Ordinal));
        Assert.Contains("'whatsapp'", capture.Text);
    }

    /// <summary>The last query a context ran, with its parameters.</summary>
    private sealed class CommandCapture : DbCommandInterceptor
    {
        public string Text { get; private set; } = "";

        public List<NpgsqlParameter> Parameters { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Text = command.CommandText;
            Parameters.Clear();
            Parameters.AddRange(command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()));
            return ValueTask.FromResult(result);
        }
    }
}
