using System.Net;
using System.Net.Sockets;
using Hypermedia.Server.Features.Carriers;
using Hypermedia.Server.Features.Carriers.Twilio;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Tests.Features.Carriers;

public sealed class TwilioCarrierTests(TwilioApiFactory api) : IClassFixture<TwilioApiFactory>
{
    private const string From = "+13035550100";

    // Only guards the waits below against a hang; no assertion depends on time.
    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private ICarrier Carrier => api.Services.GetRequiredService<CarrierDirectory>().Get("twilio");

    private static OutboundText Text(string to, string slug = "AbCd1234", params string[] media) => new(slug, From, to, "Hello from Hypermedia", media);

    private static TwilioCarrier CarrierAt(Uri apiBaseUrl, int timeoutSeconds = 15) => new(Options.Create(new TwilioOptions
    {
        AccountSid = TwilioApiFactory.AccountSid,
        AuthToken = TwilioApiFactory.AuthToken,
        PublicUrl = TwilioApiFactory.PublicUrl,
        ApiBaseUrl = apiBaseUrl.ToString(),
        TimeoutSeconds = timeoutSeconds,
    }));

    [Fact]
    public async Task An_accepted_text_is_accepted_with_twilios_sid()
    {
        api.Twilio.AnswerFor("+13035550201", new FakeTwilioAnswer.Accept("SM0123456789abcdef0123456789abcdef"));

        var result = await Carrier.SendAsync(Text("+13035550201"), Guard);

        Assert.Equal(CarrierOutcome.Accepted, result.Outcome);
        Assert.Equal("SM0123456789abcdef0123456789abcdef", result.CarrierMessageId);
        Assert.Null(result.Reason);
    }

    [Fact]
    public async Task The_request_carries_the_text_the_account_credentials_and_a_status_callback_naming_the_message()
    {
        await Carrier.SendAsync(Text("+13035550202", slug: "Qx7pLm2Z"), Guard);

        var request = await api.Twilio.WaitForAsync("+13035550202", Guard);
        Assert.Equal(TwilioApiFactory.AccountSid, request.AccountSid);
        Assert.Equal(From, request.From);
        Assert.Equal("Hello from Hypermedia", request.Body);
        Assert.Equal("https://sms.example.test/carriers/twilio/status?message=Qx7pLm2Z", request.StatusCallback);
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TwilioApiFactory.AccountSid}:{TwilioApiFactory.AuthToken}"));
        Assert.Equal("Basic " + basic, request.Authorization);
    }

    [Fact]
    public async Task A_texts_files_go_as_media_urls_on_the_servers_public_address()
    {
        var key = new string('a', 64) + ".png";

        await Carrier.SendAsync(Text("+13035550203", "Md1aXy2Z", "/media/" + key), Guard);

        var request = await api.Twilio.WaitForAsync("+13035550203", Guard);
        Assert.Equal(["https://sms.example.test/media/" + key], request.MediaUrls);
    }

    [Fact]
    public async Task A_text_without_files_sends_no_media_url()
    {
        await Carrier.SendAsync(Text("+13035550204"), Guard);

        Assert.Empty((await api.Twilio.WaitForAsync("+13035550204", Guard)).MediaUrls!);
    }

    [Theory]
    [InlineData(21211)]
    [InlineData(21614)]
    [InlineData(21408)]
    [InlineData(21610)]
    public async Task A_refusal_of_the_recipients_number_fails_the_text_for_good(int code)
    {
        var to = "+1303555" + (3000 + code % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        api.Twilio.AnswerFor(to, new FakeTwilioAnswer.Error(400, code, "Refused."));

        var result = await Carrier.SendAsync(Text(to), Guard);

        Assert.Equal(CarrierOutcome.Failed, result.Outcome);
        Assert.Null(result.CarrierMessageId);
        Assert.Equal($"Twilio error {code} (HTTP 400): Refused.", result.Reason);
    }

    [Fact]
    public async Task A_refusal_that_is_not_about_the_recipient_is_transient()
    {
        api.Twilio.AnswerFor("+13035550203", new FakeTwilioAnswer.Error(401, 20003, "Authenticate"));

        var result = await Carrier.SendAsync(Text("+13035550203"), Guard);

        Assert.Equal(CarrierOutcome.FailedTransient, result.Outcome);
        Assert.Equal("Twilio error 20003 (HTTP 401): Authenticate", result.Reason);
    }

    [Fact]
    public async Task A_server_error_is_transient()
    {
        api.Twilio.AnswerFor("+13035550204", FakeTwilioAnswer.ServerError);

        var result = await Carrier.SendAsync(Text("+13035550204"), Guard);

        Assert.Equal(CarrierOutcome.FailedTransient, result.Outcome);
        Assert.StartsWith("Twilio error 20500 (HTTP 500)", result.Reason);
    }

    [Fact]
    public async Task Too_many_requests_is_transient()
    {
        api.Twilio.AnswerFor("+13035550205", FakeTwilioAnswer.TooManyRequests);

        var result = await Carrier.SendAsync(Text("+13035550205"), Guard);

        Assert.Equal(CarrierOutcome.FailedTransient, result.Outcome);
        Assert.StartsWith("Twilio error 20429 (HTTP 429)", result.Reason);
    }

    [Fact]
    public async Task A_timeout_is_transient_and_says_the_text_may_have_been_accepted()
    {
        var hang = api.Twilio.HangFor("+13035550206");
        using var carrier = CarrierAt(api.Twilio.BaseUrl, timeoutSeconds: 1);

        var result = await carrier.SendAsync(Text("+13035550206"), Guard);

        Assert.Equal(CarrierOutcome.FailedTransient, result.Outcome);
        Assert.Equal("Twilio did not answer within 1 s; it may still have accepted the text, so check before retrying.", result.Reason);
        Assert.Equal("+13035550206", (await hang.Arrived).To);
    }

    [Fact]
    public async Task An_unreachable_twilio_is_transient_and_nothing_was_sent()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var carrier = CarrierAt(new Uri($"http://127.0.0.1:{closedPort}"));

        var result = await carrier.SendAsync(Text("+13035550207"), Guard);

        Assert.Equal(CarrierOutcome.FailedTransient, result.Outcome);
        Assert.StartsWith("Could not connect to Twilio", result.Reason);
        Assert.EndsWith("nothing was sent.", result.Reason);
    }

    [Fact]
    public async Task Cancelling_during_the_call_aborts_it_and_throws_because_the_outcome_is_unknown()
    {
        var hang = api.Twilio.HangFor("+13035550208");
        using var cancel = new CancellationTokenSource();

        var sending = Carrier.SendAsync(Text("+13035550208"), cancel.Token);
        await hang.Arrived.WaitAsync(Guard);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }

    [Fact]
    public async Task Without_twilio_settings_a_send_is_transient_and_calls_nobody()
    {
        using var carrier = new TwilioCarrier(Options.Create(new TwilioOptions()));

        var result = await carrier.SendAsync(Text("+13035550209"), Guard);

        Assert.Equal(CarrierOutcome.FailedTransient, result.Outcome);
        Assert.DoesNotContain(api.Twilio.Received, r => r.To == "+13035550209");
    }

    [Fact]
    public async Task A_whatsapp_text_goes_between_whatsapp_addresses()
    {
        await Carrier.SendAsync(Text("+13035550231") with { Channel = "whatsapp" }, Guard);

        var request = await api.Twilio.WaitForAsync("whatsapp:+13035550231", Guard);
        Assert.Equal(("whatsapp:" + From, "Hello from Hypermedia", (string?)null), (request.From, request.Body, request.ContentSid));
    }

    [Fact]
    public async Task A_template_with_a_content_sid_goes_as_that_content_and_its_variables_without_a_body()
    {
        var template = new OutboundTemplate("HXabcdef1234567890abcdef1234567890", new Dictionary<string, string> { ["appt_date"] = "1/1", ["appt_time"] = "12:00" });

        await Carrier.SendAsync(Text("+13035550232") with { Channel = "whatsapp", Template = template }, Guard);

        var request = await api.Twilio.WaitForAsync("whatsapp:+13035550232", Guard);
        Assert.Equal(("HXabcdef1234567890abcdef1234567890", (string?)null), (request.ContentSid, request.Body));
        Assert.Equal(new Dictionary<string, string> { ["appt_date"] = "1/1", ["appt_time"] = "12:00" },
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(request.ContentVariables!));
    }

    [Fact]
    public async Task A_template_without_a_content_sid_goes_as_its_rendered_body()
    {
        await Carrier.SendAsync(Text("+13035550233") with { Channel = "whatsapp", Template = new OutboundTemplate(null, new Dictionary<string, string>()) }, Guard);

        var request = await api.Twilio.WaitForAsync("whatsapp:+13035550233", Guard);
        Assert.Equal(("Hello from Hypermedia", (string?)null, (string?)null), (request.Body, request.ContentSid, request.ContentVariables));
    }
}
