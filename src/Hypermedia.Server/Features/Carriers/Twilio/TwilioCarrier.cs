using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Hypermedia.Server.Features.Carriers.Twilio;

/// <summary>
/// Sends texts through Twilio's Messages API with its helper library. Each text carries a status
/// callback that names our message, so a callback that arrives before Twilio's SID is stored still
/// finds it.
/// </summary>
/// <remarks>
/// Outcomes: accepted is dispatched with Twilio's SID; a refusal listed in
/// <see cref="TwilioErrorCodes.PermanentSendErrors"/> is failed; any other refusal, a 5xx, a 429, a
/// connection failure or a timeout is failed_transient. A timeout (or a connection that broke after
/// the request went out) does not prove Twilio did not take the text: the reason says so, and a status
/// callback may still arrive for it. Cancellation of the caller's token aborts the call and throws:
/// outcome unknown.
/// </remarks>
public sealed class TwilioCarrier : ICarrier, IDisposable
{
    public const string CarrierName = "twilio";

    private readonly TwilioOptions options;
    private readonly System.Net.Http.HttpClient? http;
    private readonly TwilioRestClient? rest;

    public TwilioCarrier(IOptions<TwilioOptions> options)
    {
        this.options = options.Value;
        if (!this.options.IsConfigured)
        {
            return;
        }

        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(this.options.TimeoutSeconds),
        };
        var baseUrl = new Uri(this.options.ApiBaseUrl ?? TwilioOptions.DefaultApiBaseUrl, UriKind.Absolute);
        http = new System.Net.Http.HttpClient(new TwilioApiHandler(baseUrl) { InnerHandler = sockets })
        {
            Timeout = TimeSpan.FromSeconds(this.options.TimeoutSeconds),
        };
        rest = new TwilioRestClient(this.options.AccountSid, this.options.AuthToken, httpClient: new SystemNetHttpClient(http));
    }

    public string Name => CarrierName;

    public async Task<CarrierSendResult> SendAsync(OutboundText text, CancellationToken cancellationToken)
    {
        if (rest is null)
        {
            return CarrierSendResult.FailedTransient("Twilio is not configured on this server (Carriers:Twilio); nothing was sent.");
        }

        var statusCallback = new Uri($"{options.CallbackBase}{TwilioWebhooks.StatusPath}?{TwilioWebhooks.MessageQuery}={Uri.EscapeDataString(text.MessageSlug)}");
        try
        {
            // The library takes no cancellation token; the handler picks this one up from the call's flow.
            using var call = TwilioApiHandler.Cancel(cancellationToken);
            // WhatsApp: whatsapp: addresses; an approved template with a Content SID goes as that content and its
            // variables (outside the 24-hour window Twilio sends nothing else), one without as its rendered body.
            var address = text.Channel == Messages.MessageChannels.WhatsApp ? TwilioWebhooks.WhatsAppPrefix : "";
            var content = text.Template is { ContentSid: { } sid } template ? (Sid: sid, Variables: JsonSerializer.Serialize(template.Variables)) : default;
            var message = await MessageResource.CreateAsync(
                to: new PhoneNumber(address + text.To), from: new PhoneNumber(address + text.From), body: content.Sid is null ? text.Body : null,
                statusCallback: statusCallback, contentSid: content.Sid, contentVariables: content.Variables,
                mediaUrl: text.MediaPaths.Count == 0 ? null : [.. text.MediaPaths.Select(path => new Uri(options.CallbackBase + path))], client: rest);
            return string.IsNullOrEmpty(message.Sid)
                ? throw new InvalidOperationException("Twilio accepted the text but returned no SID.")
                : CarrierSendResult.Accepted(message.Sid);
        }
        catch (ApiException e) when (e.Status > 0)
        {
            return Refused(e.Status, e.Code, e.Message);
        }
        catch (ApiStandardException e) when (e.Status > 0)
        {
            return Refused(e.Status, e.Code, e.Detail ?? e.Title ?? e.Message);
        }
        catch (ApiException e)
        {
            // An error answer that is not Twilio's JSON (a proxy's or balancer's page): not a verdict on the text.
            return CarrierSendResult.FailedTransient($"Twilio's API answered an error without details ({e.Message}); nothing was accepted.");
        }
        catch (ApiConnectionException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The send was cancelled during the call to Twilio; the outcome is unknown.", e, cancellationToken);
        }
        catch (ApiConnectionException e)
        {
            return Unanswered(e);
        }
    }

    private static CarrierSendResult Refused(int status, int code, string message)
    {
        var reason = string.Create(CultureInfo.InvariantCulture, $"Twilio error {code} (HTTP {status}): {message}");
        return status < 500 && status != 429 && TwilioErrorCodes.PermanentSendErrors.Contains(code)
            ? CarrierSendResult.Failed(reason)
            : CarrierSendResult.FailedTransient(reason);
    }

    private CarrierSendResult Unanswered(ApiConnectionException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return CarrierSendResult.FailedTransient(string.Create(CultureInfo.InvariantCulture,
                    $"Twilio did not answer within {options.TimeoutSeconds} s; it may still have accepted the text, so check before retrying."));
            }

            if (inner is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } refused)
            {
                return CarrierSendResult.FailedTransient($"Could not connect to Twilio ({refused.Message}); nothing was sent.");
            }
        }

        return CarrierSendResult.FailedTransient($"The connection to Twilio failed before it answered ({e.InnerException?.Message ?? e.Message}); it may still have accepted the text, so check before retrying.");
    }

    public void Dispose() => http?.Dispose();
}

/// <summary>
/// Sends the library's requests to <c>baseUrl</c> (its scheme, host and port; the library has no
/// base-URL setting) and aborts them when the sender's token is cancelled (the library passes none).
/// </summary>
internal sealed class TwilioApiHandler(Uri baseUrl) : DelegatingHandler
{
    private static readonly AsyncLocal<CancellationToken> Ambient = new();

    public static IDisposable Cancel(CancellationToken cancellationToken)
    {
        Ambient.Value = cancellationToken;
        return new Reset();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = baseUrl.Scheme, Host = baseUrl.Host, Port = baseUrl.Port }.Uri;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Ambient.Value);
        return await base.SendAsync(request, linked.Token);
    }

    private sealed class Reset : IDisposable
    {
        public void Dispose() => Ambient.Value = default;
    }
}
