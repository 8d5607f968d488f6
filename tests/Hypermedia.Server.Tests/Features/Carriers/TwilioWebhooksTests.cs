using System.Net;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features.Carriers;

public sealed class TwilioWebhooksTests(TwilioApiFactory api) : IClassFixture<TwilioApiFactory>
{
    private const string Contact = "+13035550142";

    /// <summary>A text sent through Twilio and dispatched, as the dispatch job leaves it.</summary>
    private async Task<Message> SentMessageAsync(string? sid = null)
    {
        var account = await api.CreateAccountAsync();
        var message = Texts.OutgoingMessage(account.Id, account.PhoneNumbers[0], Contact, DateTimeOffset.UtcNow);
        message.Body = "Hello";
        message.DeliveryState = DeliveryStates.Dispatched;
        message.Carrier = "twilio";
        message.CarrierMessageId = sid;
        var (id, _) = await api.RecordOutgoingAsync(message);
        return await api.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == id));
    }

    private static async Task ExpectOkAsync(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    private Task<Message> ReloadAsync(Message message) => api.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == message.Id));

    /// <summary>A status callback's form; each names a SID of its own, as Twilio's do.</summary>
    private static Dictionary<string, string> Status(string status, string? sid = null, string? errorCode = null)
    {
        sid ??= NewSid();
        var fields = new Dictionary<string, string>
        {
            ["AccountSid"] = TwilioApiFactory.AccountSid,
            ["MessageSid"] = sid,
            ["SmsSid"] = sid,
            ["MessageStatus"] = status,
            ["SmsStatus"] = status,
            ["From"] = "+13035550100",
            ["To"] = Contact,
            ["ApiVersion"] = "2010-04-01",
        };
        if (errorCode is not null)
        {
            fields["ErrorCode"] = errorCode;
        }

        return fields;
    }

    private static Dictionary<string, string> Inbound(Account account, string body, string sid, string from = "+13035550199") => new()
    {
        ["AccountSid"] = TwilioApiFactory.AccountSid,
        ["MessageSid"] = sid,
        ["SmsMessageSid"] = sid,
        ["From"] = from,
        ["To"] = account.PhoneNumbers[0],
        ["Body"] = body,
        ["NumMedia"] = "0",
        ["NumSegments"] = "1",
        ["ApiVersion"] = "2010-04-01",
    };

    private static string NewSid() => "SM" + Guid.NewGuid().ToString("N");

    private static void AssertUnchanged(Message before, Message after)
    {
        Assert.Equal(before.DeliveryState, after.DeliveryState);
        Assert.Equal(before.CarrierMessageId, after.CarrierMessageId);
        Assert.Equal(before.FailureReason, after.FailureReason);
        Assert.Equal(before.LatestEventAt, after.LatestEventAt);
    }

    [Fact]
    public async Task A_signed_delivered_callback_marks_the_message_delivered_and_stores_twilios_sid()
    {
        var message = await SentMessageAsync();

        var response = await api.PostSignedAsync($"/carriers/twilio/status?message={message.Slug}", Status("delivered", sid: "SM11111111111111111111111111111111"));

        await ExpectOkAsync(response);
        var after = await ReloadAsync(message);
        Assert.Equal(DeliveryStates.Delivered, after.DeliveryState);
        Assert.Equal("SM11111111111111111111111111111111", after.CarrierMessageId);
        Assert.True(after.LatestEventAt > message.LatestEventAt);
    }

    [Fact]
    public async Task A_callback_without_our_slug_finds_the_message_by_twilios_sid()
    {
        var sid = NewSid();
        var message = await SentMessageAsync(sid);

        var response = await api.PostSignedAsync("/carriers/twilio/status", Status("delivered", sid));

        await ExpectOkAsync(response);
        Assert.Equal(DeliveryStates.Delivered, (await ReloadAsync(message)).DeliveryState);
    }

    [Fact]
    public async Task Sent_keeps_the_message_dispatched()
    {
        var message = await SentMessageAsync();

        var response = await api.PostSignedAsync($"/carriers/twilio/status?message={message.Slug}", Status("sent"));

        await ExpectOkAsync(response);
        Assert.Equal(DeliveryStates.Dispatched, (await ReloadAsync(message)).DeliveryState);
    }

    [Fact]
    public async Task Undelivered_with_a_final_error_fails_the_message_naming_the_error()
    {
        var message = await SentMessageAsync();

        var response = await api.PostSignedAsync($"/carriers/twilio/status?message={message.Slug}", Status("undelivered", errorCode: "30006"));

        await ExpectOkAsync(response);
        var after = await ReloadAsync(message);
        Assert.Equal(DeliveryStates.Failed, after.DeliveryState);
        Assert.Equal("Twilio error 30006 (undelivered).", after.FailureReason);
    }

    [Fact]
    public async Task Undelivered_with_a_temporary_error_is_failed_transient()
    {
        var message = await SentMessageAsync();

        var response = await api.PostSignedAsync($"/carriers/twilio/status?message={message.Slug}", Status("undelivered", errorCode: "30003"));

        await ExpectOkAsync(response);
        var after = await ReloadAsync(message);
        Assert.Equal(DeliveryStates.FailedTransient, after.DeliveryState);
        Assert.Equal("Twilio error 30003 (undelivered).", after.FailureReason);
    }

    [Fact]
    public async Task A_callback_without_a_signature_is_403_and_changes_nothing()
    {
        var message = await SentMessageAsync();

        var response = await api.PostSignedAsync($"/carriers/twilio/status?message={message.Slug}", Status("delivered"), signature: null);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        AssertUnchanged(message, await ReloadAsync(message));
    }

    [Fact]
    public async Task A_callback_signed_with_another_token_is_403_and_changes_nothing()
    {
        var message = await SentMessageAsync();
        var path = $"/carriers/twilio/status?message={message.Slug}";
        var fields = Status("failed", errorCode: "30007");

        var response = await api.PostSignedAsync(path, fields, TwilioApiFactory.Sign("another-token", TwilioApiFactory.PublicUrl + path, fields));

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        AssertUnchanged(message, await ReloadAsync(message));
    }

    [Fact]
    public async Task A_signature_of_another_messages_callback_is_403_and_changes_nothing()
    {
        var message = await SentMessageAsync();
        var fields = Status("failed", errorCode: "30007");
        var signedForOther = TwilioApiFactory.Sign(TwilioApiFactory.AuthToken, TwilioApiFactory.PublicUrl + "/carriers/twilio/status?message=Other123", fields);

        var response = await api.PostSignedAsync($"/carriers/twilio/status?message={message.Slug}", fields, signedForOther);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        AssertUnchanged(message, await ReloadAsync(message));
    }

    [Fact]
    public async Task A_signature_of_the_url_the_server_sees_rather_than_the_public_one_is_403()
    {
        var message = await SentMessageAsync();
        var path = $"/carriers/twilio/status?message={message.Slug}";
        var fields = Status("delivered");

        var response = await api.PostSignedAsync(path, fields, TwilioApiFactory.Sign(TwilioApiFactory.AuthToken, "http://localhost" + path, fields));

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        AssertUnchanged(message, await ReloadAsync(message));
    }

    [Fact]
    public async Task A_callback_for_no_message_of_ours_is_404()
    {
        var response = await api.PostSignedAsync("/carriers/twilio/status?message=Missing1", Status("delivered"));

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_status_of_no_outgoing_message_is_422_and_changes_nothing()
    {
        var message = await SentMessageAsync();

        var response = await api.PostSignedAsync($"/carriers/twilio/status?message={message.Slug}", Status("received"));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]!["MessageStatus"]);
        AssertUnchanged(message, await ReloadAsync(message));
    }

    [Fact]
    public async Task A_signed_request_that_is_not_a_form_is_415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/carriers/twilio/status")
        {
            Content = new StringContent("{\"MessageStatus\":\"delivered\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Twilio-Signature", TwilioApiFactory.Sign(TwilioApiFactory.AuthToken, TwilioApiFactory.PublicUrl + "/carriers/twilio/status", new Dictionary<string, string>()));

        var response = await api.CreateClient().SendAsync(request);

        await response.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_signed_inbound_text_records_the_conversation_and_message_and_answers_empty_twiml()
    {
        var account = await api.CreateAccountAsync();
        var sid = NewSid();

        var response = await api.PostSignedAsync("/carriers/twilio/inbound", Inbound(account, "Is my order ready?", sid));

        await ExpectOkAsync(response);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("<Response/>", await response.Content.ReadAsStringAsync());
        var message = await api.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.AccountId == account.Id));
        Assert.Equal(("+13035550199", account.PhoneNumbers[0], Message.Incoming), (message.PhoneNumber, message.AccountPhoneNumber, message.Direction));
        Assert.Equal(("Is my order ready?", DeliveryStates.Received, "sms"), (message.Body, message.DeliveryState, message.Channel));
        Assert.Equal(("twilio", sid, "twilio"), (message.Carrier, message.CarrierMessageId, message.Source));
        var conversation = await api.WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.AccountId == account.Id));
        Assert.Equal(("+13035550199", Conversation.Open, 1), (conversation.PhoneNumber, conversation.State, conversation.MessageCount));
        Assert.Equal(conversation.Id, message.ConversationId);
    }

    [Fact]
    public async Task A_repeated_inbound_text_with_the_same_sid_is_recorded_once()
    {
        var account = await api.CreateAccountAsync();
        var fields = Inbound(account, "Hello?", NewSid());

        var first = await api.PostSignedAsync("/carriers/twilio/inbound", fields);
        var again = await api.PostSignedAsync("/carriers/twilio/inbound", fields);

        await ExpectOkAsync(first);
        await ExpectOkAsync(again);
        Assert.Equal(1, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
        Assert.Equal(1, await api.WithDbAsync(db => db.Conversations.Where(c => c.AccountId == account.Id).Select(c => c.MessageCount).SingleAsync()));
    }

    [Fact]
    public async Task Simultaneous_repeats_of_one_inbound_text_all_succeed_and_record_it_once()
    {
        var account = await api.CreateAccountAsync();
        var fields = Inbound(account, "Hello?", NewSid());

        var responses = await Concurrently.SendAsync(6, _ => api.PostSignedAsync("/carriers/twilio/inbound", fields));

        Assert.Equal(new Dictionary<int, int> { [200] = 6 }, responses.CountByStatus());
        Assert.Equal(1, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
        Assert.Equal(1, await api.WithDbAsync(db => db.Conversations.Where(c => c.AccountId == account.Id).Select(c => c.MessageCount).SingleAsync()));
    }

    [Fact]
    public async Task Delivered_after_a_send_that_timed_out_marks_the_message_delivered()
    {
        var message = await SentMessageAsync();
        await api.WithDbAsync(db => db.Messages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveryState, DeliveryStates.FailedTransient)));

        var response = await api.PostSignedAsync($"/carriers/twilio/status?message={message.Slug}", Status("delivered"));

        await ExpectOkAsync(response);
        Assert.Equal(DeliveryStates.Delivered, (await ReloadAsync(message)).DeliveryState);
    }

    [Fact]
    public async Task A_late_sent_never_undoes_delivered()
    {
        var message = await SentMessageAsync();
        await ExpectOkAsync(await api.PostSignedAsync($"/carriers/twilio/status?message={message.Slug}", Status("delivered")));

        await ExpectOkAsync(await api.PostSignedAsync($"/carriers/twilio/status?message={message.Slug}", Status("sent")));

        Assert.Equal(DeliveryStates.Delivered, (await ReloadAsync(message)).DeliveryState);
    }

    [Fact]
    public async Task Inbound_STOP_opts_the_sender_out_by_keyword()
    {
        var account = await api.CreateAccountAsync();

        var response = await api.PostSignedAsync("/carriers/twilio/inbound", Inbound(account, " stop ", NewSid()));

        await ExpectOkAsync(response);
        var optOut = await api.WithDbAsync(db => db.OptOuts.AsNoTracking().SingleAsync(o => o.AccountId == account.Id));
        Assert.Equal(("+13035550199", true, "Keyword"), (optOut.PhoneNumber, optOut.Active, optOut.CreatedVia));
        var history = await api.WithDbAsync(db => db.OptOutEvents.AsNoTracking().Where(e => e.AccountId == account.Id).ToListAsync());
        Assert.Equal([("opt_out", "Keyword")], history.Select(e => (e.Action, e.Via)));
    }

    [Fact]
    public async Task Inbound_text_that_only_contains_stop_does_not_opt_out()
    {
        var account = await api.CreateAccountAsync();

        var response = await api.PostSignedAsync("/carriers/twilio/inbound", Inbound(account, "Stop please", NewSid()));

        await ExpectOkAsync(response);
        Assert.Equal(1, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
        Assert.False(await api.WithDbAsync(db => db.OptOuts.AnyAsync(o => o.AccountId == account.Id)));
        Assert.False(await api.WithDbAsync(db => db.OptOutEvents.AnyAsync(e => e.AccountId == account.Id)));
    }

    [Fact]
    public async Task A_whatsapp_text_is_recorded_on_the_whatsapp_channel_with_plain_numbers()
    {
        var account = await api.CreateAccountAsync();
        await api.EnableWhatsAppAsync(account, account.PhoneNumbers[0]); // the SMS number may also be the WhatsApp number
        var fields = Inbound(account, "Hola", NewSid(), from: "whatsapp:+13035550198");
        fields["To"] = "whatsapp:" + account.PhoneNumbers[0];

        var response = await api.PostSignedAsync("/carriers/twilio/inbound", fields);

        await ExpectOkAsync(response);
        var message = await api.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.AccountId == account.Id));
        Assert.Equal(("whatsapp", "+13035550198", account.PhoneNumbers[0]), (message.Channel, message.PhoneNumber, message.AccountPhoneNumber));
    }

    [Fact]
    public async Task A_whatsapp_text_goes_to_the_account_whose_whatsapp_number_is_the_to()
    {
        var smsAccount = await api.CreateAccountAsync();
        var account = await api.CreateAccountAsync();
        var whatsAppNumber = await api.EnableWhatsAppAsync(account);
        var fields = Inbound(smsAccount, "Hola", NewSid(), from: "whatsapp:+13035550197");
        fields["To"] = "whatsapp:" + whatsAppNumber;

        await ExpectOkAsync(await api.PostSignedAsync("/carriers/twilio/inbound", fields));

        var message = await api.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.CarrierMessageId == fields["MessageSid"]));
        Assert.Equal((account.Id, "whatsapp", "+13035550197", whatsAppNumber), (message.AccountId, message.Channel, message.PhoneNumber, message.AccountPhoneNumber));
        Assert.Equal(whatsAppNumber, await api.WithDbAsync(db => db.Conversations.Where(c => c.Id == message.ConversationId).Select(c => c.AccountPhoneNumber).SingleAsync()));
    }

    [Fact]
    public async Task A_whatsapp_text_to_a_number_that_is_no_accounts_whatsapp_number_is_422_and_records_nothing()
    {
        var account = await api.CreateAccountAsync(); // its SMS number, but no WhatsApp
        var fields = Inbound(account, "Hola", NewSid(), from: "whatsapp:+13035550196");
        fields["To"] = "whatsapp:" + account.PhoneNumbers[0];

        var problem = await (await api.PostSignedAsync("/carriers/twilio/inbound", fields)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal($"{account.PhoneNumbers[0]} is not the WhatsApp number of any account.", (string?)problem["errors"]!["to"]![0]);
        Assert.False(await api.WithDbAsync(db => db.Messages.AnyAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task An_unsigned_inbound_text_is_403_and_records_nothing()
    {
        var account = await api.CreateAccountAsync();
        var fields = Inbound(account, "STOP", NewSid());
        var signature = TwilioApiFactory.Sign(TwilioApiFactory.AuthToken, TwilioApiFactory.PublicUrl + "/carriers/twilio/inbound", fields);
        fields["Body"] = "START";

        var response = await api.PostSignedAsync("/carriers/twilio/inbound", fields, signature);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.False(await api.WithDbAsync(db => db.Messages.AnyAsync(m => m.AccountId == account.Id)));
        Assert.False(await api.WithDbAsync(db => db.OptOuts.AnyAsync(o => o.AccountId == account.Id)));
    }

    [Fact]
    public async Task An_inbound_text_without_a_sender_is_422_and_records_nothing()
    {
        var account = await api.CreateAccountAsync();
        var fields = Inbound(account, "Hello", NewSid());
        fields.Remove("From");

        var response = await api.PostSignedAsync("/carriers/twilio/inbound", fields);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]!["From"]);
        Assert.False(await api.WithDbAsync(db => db.Messages.AnyAsync(m => m.AccountId == account.Id)));
    }

    [Fact]
    public async Task An_inbound_text_to_a_number_of_no_account_is_422()
    {
        var account = await api.CreateAccountAsync();
        var fields = Inbound(account, "Hello", NewSid());
        fields["To"] = "+17205550000";

        var response = await api.PostSignedAsync("/carriers/twilio/inbound", fields);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]!["to"]);
    }
}
