using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Carriers.Simulator;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

public sealed class MessagesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Recipient = "+13032234567";

    private async Task<(Account Account, HttpClient Client, TestUser User)> MemberAsync(string role = Roles.User)
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(role, account);
        return (account, api.ClientFor(user), user);
    }

    private static string NumberEnding(string last4) => "+1303223" + last4;

    private async Task<JsonNode> SendAsync(HttpClient client, Account account, object to, string body = "Hello there")
    {
        return await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to, body })).ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>Reads the message until its state is <paramref name="state"/>; the deadline only guards a state that never comes.</summary>
    private static async Task<JsonNode> WaitForStateAsync(HttpClient client, string iri, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var message = await (await client.GetAsync(iri)).ExpectAsync(HttpStatusCode.OK);
            if ((string?)message["deliveryState"] == state)
            {
                return message;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{iri} stayed {(string?)message["deliveryState"]}, never {state}");
            await Task.Delay(50);
        }
    }

    private async Task<JsonNode> ReceiveAsync(string from, string to, string body, string secret = ApiFactory.SimulatorSecret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/carriers/simulator/inbound") { Content = JsonContent.Create(new { from, to, body }) };
        request.Headers.Add(SimulatorArea.SecretHeader, secret);
        return await (await api.CreateClient().SendAsync(request)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Sending_to_one_number_answers_201_with_the_queued_message_at_its_location()
    {
        var (account, client, user) = await MemberAsync();

        var response = await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient, body = "Hello there" });
        var message = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("Message", (string?)message["@type"]);
        Assert.Equal("/contexts/Message.jsonld", (string?)message["@context"]);
        Assert.Equal((string?)message["id"], response.Headers.Location?.OriginalString);
        Assert.Equal("queued", (string?)message["deliveryState"]);
        Assert.Equal("out", (string?)message["direction"]);
        Assert.Equal("Hello there", (string?)message["body"]);
        Assert.Equal(account.PhoneNumbers[0], (string?)message["from"]);
        Assert.Equal(Recipient, (string?)message["to"]);
        Assert.Equal(user.Iri, (string?)message["sender"]);
        Assert.Equal("api", (string?)message["source"]);
        Assert.Equal("sms", (string?)message["channel"]);
        Assert.False((bool)message["retryAllowed"]!);
        Assert.Null(message["retry"]);
        Assert.StartsWith("/conversations/", (string?)message["conversation"]);
        var slug = ((string)message["id"]!).Split('/')[^1];
        var row = await api.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.Slug == slug));
        Assert.Equal(SimulatorCarrier.CarrierName, row.Carrier);
        Assert.Equal(user.Id, row.SenderId);
        var conversation = await api.WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.Id == row.ConversationId));
        Assert.Equal((account.Id, Recipient, 1), (conversation.AccountId, conversation.PhoneNumber, conversation.MessageCount));
    }

    [Fact]
    public async Task A_one_element_array_is_a_single_send()
    {
        var (account, client, _) = await MemberAsync();

        var message = await SendAsync(client, account, new[] { Recipient });

        Assert.Equal(Recipient, (string?)message["to"]);
    }

    [Fact]
    public async Task The_simulator_delivers_a_dispatched_message_through_its_status_callback()
    {
        var (account, client, _) = await MemberAsync();
        var sent = await SendAsync(client, account, Recipient);

        var delivered = await WaitForStateAsync(client, (string)sent["id"]!, "delivered");

        Assert.Equal("Message Delivered", (string?)delivered["friendlyStateDescription"]);
        var slug = ((string)sent["id"]!).Split('/')[^1];
        var row = await api.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.Slug == slug));
        Assert.StartsWith("SIM", row.CarrierMessageId);
        Assert.NotNull(row.DispatchStartedAt);
    }

    [Theory]
    [InlineData("0000", "failed", false)]
    [InlineData("0001", "failed_transient", true)]
    [InlineData("0002", "unknown", true)]
    public async Task Simulator_test_numbers_end_in_their_documented_state(string last4, string state, bool retryable)
    {
        var (account, client, _) = await MemberAsync();
        var sent = await SendAsync(client, account, NumberEnding(last4));

        var message = await WaitForStateAsync(client, (string)sent["id"]!, state);

        Assert.Equal(retryable, (bool)message["retryAllowed"]!);
        Assert.Equal(retryable ? (string)sent["id"]! + "/retry" : null, (string?)message["retry"]);
    }

    [Fact]
    public async Task Retrying_a_transient_failure_answers_202_and_dispatches_it_again()
    {
        var (account, client, _) = await MemberAsync();
        var sent = await SendAsync(client, account, NumberEnding("0001"));
        var iri = (string)sent["id"]!;
        var failed = await WaitForStateAsync(client, iri, "failed_transient");
        var slug = iri.Split('/')[^1];
        var firstCarrierId = await api.WithDbAsync(db => db.Messages.Where(m => m.Slug == slug).Select(m => m.CarrierMessageId).SingleAsync());

        var retried = await client.PostAsync((string)failed["retry"]!, null);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(iri, retried.Headers.Location?.OriginalString);
        await WaitForStateAsync(client, iri, "failed_transient");
        var secondCarrierId = await api.WithDbAsync(db => db.Messages.Where(m => m.Slug == slug).Select(m => m.CarrierMessageId).SingleAsync());
        Assert.NotNull(secondCarrierId);
        Assert.NotEqual(firstCarrierId, secondCarrierId);
    }

    [Fact]
    public async Task Retrying_a_delivered_message_is_422_naming_its_state()
    {
        var (account, client, _) = await MemberAsync();
        var sent = await SendAsync(client, account, Recipient);
        await WaitForStateAsync(client, (string)sent["id"]!, "delivered");

        var problem = await (await client.PostAsync((string)sent["id"]! + "/retry", null)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("delivered", (string?)problem["errors"]!["deliveryState"]![0]);
    }

    [Fact]
    public async Task Parallel_retries_of_one_message_queue_it_once()
    {
        var (account, client, _) = await MemberAsync();
        var sent = await SendAsync(client, account, NumberEnding("0002"));
        var iri = (string)sent["id"]!;
        await WaitForStateAsync(client, iri, "unknown");

        var responses = await Concurrently.SendAsync(8, _ => client.PostAsync(iri + "/retry", null));

        Assert.Equal(new Dictionary<int, int> { [202] = 1, [422] = 7 }, responses.CountByStatus());
    }

    [Theory]
    [InlineData(null, "body")]
    [InlineData("", "body")]
    [InlineData("   ", "body")]
    public async Task A_missing_or_empty_body_is_422_naming_body(string? body, string field)
    {
        var (account, client, _) = await MemberAsync();

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient, body })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(0, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_body_over_1600_characters_is_422_and_1600_is_accepted()
    {
        var (account, client, _) = await MemberAsync();

        var tooLong = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient, body = new string('a', 1601) })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await SendAsync(client, account, Recipient, new string('a', 1600));

        Assert.Equal("must be at most 1600 characters", (string?)tooLong["errors"]!["body"]![0]);
    }

    [Theory]
    [InlineData("not a number")]
    [InlineData("+1303123456")]
    [InlineData("+13031234567")]
    public async Task A_to_that_is_not_a_valid_number_is_422_naming_to(string to)
    {
        var (account, client, _) = await MemberAsync();

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to, body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]!["to"]);
        Assert.Equal(0, await api.WithDbAsync(db => db.Conversations.CountAsync(c => c.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_to_of_the_wrong_type_or_missing_is_422_naming_to()
    {
        var (account, client, _) = await MemberAsync();

        var number = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = 3032234567, body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var missing = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(number["errors"]!["to"]);
        Assert.Equal("is required", (string?)missing["errors"]!["to"]![0]);
    }

    [Fact]
    public async Task An_opted_out_recipient_is_422_naming_to()
    {
        var (account, client, _) = await MemberAsync();
        await (await client.PutAsync($"/{account.Slug}/opt_outs/{Recipient}", null)).ExpectAsync(HttpStatusCode.Created);

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient, body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("opted out", (string?)problem["errors"]!["to"]![0]);
    }

    [Fact]
    public async Task A_recipient_whose_contact_is_blocked_is_422_naming_to()
    {
        var (account, client, _) = await MemberAsync();
        var contact = await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "Blocked", phones = new[] { new { number = Recipient } } })).ExpectAsync(HttpStatusCode.Created);
        var slug = ((string)contact["id"]!).Split('/')[^1];
        await api.WithDbAsync(db => db.Contacts.Where(c => c.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(c => c.BlockedAt, DateTimeOffset.UtcNow)));

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient, body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("blocked", (string?)problem["errors"]!["to"]![0]);
    }

    [Fact]
    public async Task A_recipient_whose_conversation_is_blocked_is_422_naming_to()
    {
        var (account, client, _) = await MemberAsync();
        await SendAsync(client, account, Recipient);
        await api.WithDbAsync(db => db.Conversations.Where(c => c.AccountId == account.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.State, Conversation.Blocked)));

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient, body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("blocked", (string?)problem["errors"]!["to"]![0]);
    }

    [Fact]
    public async Task An_account_restricted_from_messaging_is_422_and_says_so()
    {
        var (account, client, _) = await MemberAsync();
        await api.WithDbAsync(db => db.Accounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.MessagingRestricted, true)));

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient, body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var shown = await (await client.GetAsync($"/accounts/{account.Slug}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Contains("messagingRestricted", (string?)problem["errors"]!["account"]![0]);
        Assert.True((bool)shown["messagingRestricted"]!);
    }

    [Fact]
    public async Task A_from_that_is_not_the_accounts_number_is_422_naming_from()
    {
        var (account, client, _) = await MemberAsync();
        var other = await api.CreateAccountAsync();

        var problem = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient, body = "hi", from = other.PhoneNumbers[0] })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("not a number of this account", (string?)problem["errors"]!["from"]![0]);
    }

    [Fact]
    public async Task Sending_without_an_account_from_one_of_your_numbers_sends_from_that_account()
    {
        var (account, client, _) = await MemberAsync();

        var message = await (await client.PostJsonAsync("/messages", new { from = account.PhoneNumbers[0], to = Recipient, body = "hi" })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(account.PhoneNumbers[0], (string?)message["from"]);
        Assert.Equal(1, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task Sending_without_an_account_from_another_accounts_number_is_422_naming_from()
    {
        var (_, client, _) = await MemberAsync();
        var other = await api.CreateAccountAsync();

        var problem = await (await client.PostJsonAsync("/messages", new { from = other.PhoneNumbers[0], to = Recipient, body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("not a number of any of your accounts", (string?)problem["errors"]!["from"]![0]);
        Assert.Equal(0, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == other.Id)));
    }

    [Fact]
    public async Task Sending_by_email_picks_the_account_of_the_users_latest_conversation_with_the_recipient()
    {
        var first = await api.CreateAccountAsync();
        var second = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, first, second);
        var client = api.ClientFor(user);
        await SendAsync(client, second, Recipient);

        var message = await (await client.PostJsonAsync("/messages", new { email = user.Email, to = Recipient, body = "hi" })).ExpectAsync(HttpStatusCode.Created);
        var toSomeoneNew = await (await client.PostJsonAsync("/messages", new { email = user.Email, to = NumberEnding("4599"), body = "hi" })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(second.PhoneNumbers[0], (string?)message["from"]);
        Assert.Equal(first.PhoneNumbers[0], (string?)toSomeoneNew["from"]);
    }

    [Fact]
    public async Task Sending_by_email_of_a_user_you_share_no_account_with_is_422_naming_email()
    {
        var (_, client, _) = await MemberAsync();
        var stranger = await api.CreateUserAsync(Roles.User, await api.CreateAccountAsync());

        var problem = await (await client.PostJsonAsync("/messages", new { email = stranger.Email, to = Recipient, body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]!["email"]);
    }

    [Fact]
    public async Task Sending_without_an_account_needs_exactly_one_of_from_and_email()
    {
        var (account, client, user) = await MemberAsync();

        var neither = await (await client.PostJsonAsync("/messages", new { to = Recipient, body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var both = await (await client.PostJsonAsync("/messages", new { from = account.PhoneNumbers[0], email = user.Email, to = Recipient, body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(neither["errors"]!["from"]);
        Assert.NotNull(both["errors"]!["email"]);
    }

    [Fact]
    public async Task A_textus_client_sends_and_is_answered_in_its_media_type()
    {
        var (account, client, _) = await MemberAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/{account.Slug}/messages")
        {
            Content = new StringContent($$"""{"to":"{{Recipient}}","body":"hi"}""", System.Text.Encoding.UTF8, "application/vnd.textus+jsonld"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.textus+jsonld"));

        var response = await client.SendAsync(request);

        await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("application/vnd.textus+jsonld", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Another_accounts_message_and_its_attachments_are_404()
    {
        var (account, client, _) = await MemberAsync();
        var (_, stranger, _) = await MemberAsync();
        var sent = await SendAsync(client, account, Recipient);
        var iri = (string)sent["id"]!;

        await (await stranger.GetAsync(iri)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync(iri + "/attachments")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PostAsync(iri + "/retry", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_messages_attachments_are_an_empty_collection()
    {
        var (account, client, _) = await MemberAsync();
        var sent = await SendAsync(client, account, Recipient);

        var attachments = await (await client.GetAsync((string)sent["attachments"]!)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("hydra:Collection", (string?)attachments["@type"]);
        Assert.Equal(0, (int)attachments["totalItems"]!);
        Assert.Empty(attachments["members"]!.AsArray());
    }

    [Fact]
    public async Task Parallel_first_messages_to_one_number_share_one_conversation()
    {
        var (account, client, _) = await MemberAsync();

        var responses = await Concurrently.SendAsync(10, i => client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient, body = $"hi {i}" }));

        Assert.Equal(new Dictionary<int, int> { [201] = 10 }, responses.CountByStatus());
        var conversation = await api.WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.AccountId == account.Id));
        Assert.Equal(10, conversation.MessageCount);
        Assert.Equal(10, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == conversation.Id)));
    }

    [Fact]
    public async Task An_inbound_text_through_the_simulator_creates_the_conversation_and_message()
    {
        var (account, client, _) = await MemberAsync();

        var received = await ReceiveAsync(Recipient, account.PhoneNumbers[0], "Is this Acme?");

        Assert.Equal("in", (string?)received["direction"]);
        Assert.Equal("received", (string?)received["deliveryState"]);
        Assert.Equal("Inbound Message Received", (string?)received["friendlyStateDescription"]);
        Assert.Null(received["sender"]);
        Assert.Equal(Recipient, (string?)received["from"]);
        var fetched = await (await client.GetAsync((string)received["id"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Is this Acme?", (string?)fetched["body"]);
        var conversation = await api.WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.AccountId == account.Id));
        Assert.Equal(Recipient, conversation.PhoneNumber);
        Assert.NotNull(conversation.LatestInboundAt);
    }

    [Fact]
    public async Task The_simulators_inbound_endpoint_refuses_a_wrong_secret_and_writes_nothing()
    {
        var (account, _, _) = await MemberAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/carriers/simulator/inbound") { Content = JsonContent.Create(new { from = Recipient, to = account.PhoneNumbers[0], body = "hi" }) };
        request.Headers.Add(SimulatorArea.SecretHeader, "wrong");

        await (await api.CreateClient().SendAsync(request)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(0, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
    }

    [Theory]
    [InlineData("STOP")]
    [InlineData(" stop ")]
    [InlineData("Unsubscribe")]
    [InlineData("quit")]
    public async Task An_opt_out_keyword_alone_opts_the_number_out_with_history(string body)
    {
        var (account, client, _) = await MemberAsync();

        await ReceiveAsync(Recipient, account.PhoneNumbers[0], body);

        var optOut = await (await client.GetAsync($"/{account.Slug}/opt_outs/{Recipient}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Keyword", (string?)optOut["createdVia"]);
        var history = await (await client.GetAsync((string)optOut["history"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["opt_out"], history["members"]!.AsArray().Select(e => (string)e!["action"]!));
        await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient, body = "hi" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task An_opt_in_keyword_opts_the_number_back_in()
    {
        var (account, client, _) = await MemberAsync();
        await ReceiveAsync(Recipient, account.PhoneNumbers[0], "STOP");

        await ReceiveAsync(Recipient, account.PhoneNumbers[0], "start");

        await (await client.GetAsync($"/{account.Slug}/opt_outs/{Recipient}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var history = await (await client.GetAsync($"/{account.Slug}/opt_outs/{Recipient}/history")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["opt_in", "opt_out"], history["members"]!.AsArray().Select(e => (string)e!["action"]!));
        Assert.All(history["members"]!.AsArray(), e => Assert.Equal("Keyword", (string?)e!["via"]));
        await SendAsync(client, account, Recipient);
    }

    [Fact]
    public async Task A_keyword_inside_a_sentence_opts_nobody_out()
    {
        var (account, client, _) = await MemberAsync();

        await ReceiveAsync(Recipient, account.PhoneNumbers[0], "Stop please");

        await (await client.GetAsync($"/{account.Slug}/opt_outs/{Recipient}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await api.WithDbAsync(db => db.OptOutEvents.CountAsync(e => e.AccountId == account.Id)));
    }

    [Fact]
    public async Task An_inbound_text_to_no_accounts_number_is_422_naming_to()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/carriers/simulator/inbound") { Content = JsonContent.Create(new { from = Recipient, to = "+13039998877", body = "hi" }) };
        request.Headers.Add(SimulatorArea.SecretHeader, ApiFactory.SimulatorSecret);

        var problem = await (await api.CreateClient().SendAsync(request)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(problem["errors"]!["to"]);
    }
}
