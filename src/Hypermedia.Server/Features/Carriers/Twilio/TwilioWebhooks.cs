using System.Globalization;
using Hypermedia.Server.Platform.Errors;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Twilio.Security;

namespace Hypermedia.Server.Features.Carriers.Twilio;

/// <summary>
/// The two URLs Twilio calls: status callbacks of the texts we sent, and texts people send to the
/// accounts' numbers. Nothing is read or written before the request's <c>X-Twilio-Signature</c>
/// checks out against the public URL Twilio called and the form it posted.
/// </summary>
public static class TwilioWebhooks
{
    public const string StatusPath = "/carriers/twilio/status";
    public const string InboundPath = "/carriers/twilio/inbound";

    /// <summary>The status callback's query parameter that names our message.</summary>
    public const string MessageQuery = "message";

    private const string SignatureHeader = "X-Twilio-Signature";
    public const string WhatsAppPrefix = "whatsapp:";

    /// <summary>Records a status callback; 404 when no message sent through Twilio matches it.</summary>
    public static async Task<IResult> Status(HttpContext http, IOptions<TwilioOptions> options, CarrierEvents events, CancellationToken cancellationToken)
    {
        var form = await SignedFormAsync(http, StatusPath, options.Value, cancellationToken);
        var slug = http.Request.Query[MessageQuery] is { Count: 1 } query ? query.ToString() : null;
        var sid = Field(form, "MessageSid");
        var status = Field(form, "MessageStatus");
        var errors = new Dictionary<string, string[]>();
        if (sid is null && slug is null)
        {
            errors["MessageSid"] = ["is required."];
        }

        int? errorCode = null;
        if (Field(form, "ErrorCode") is { } codeText)
        {
            if (int.TryParse(codeText, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                errorCode = code;
            }
            else
            {
                errors["ErrorCode"] = ["must be a number."];
            }
        }

        var state = status is null ? null : TwilioErrorCodes.DeliveryState(status, errorCode);
        if (state is null)
        {
            errors["MessageStatus"] = [status is null ? "is required." : $"'{status}' is not a status of an outgoing message."];
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }

        var reason = errorCode is { } failure
            ? string.Create(CultureInfo.InvariantCulture, $"Twilio error {failure} ({status}).")
            : null;
        return await events.ApplyStatusAsync(TwilioCarrier.CarrierName, slug, sid, state!, reason, cancellationToken)
            ? Results.Ok()
            : throw ApiException.NotFound("message");
    }

    /// <summary>
    /// Records a text sent to an account's number and answers empty TwiML (no reply). <c>whatsapp:+1…</c> addresses
    /// make it a WhatsApp message, recorded on the account whose WhatsApp number is the <c>To</c>.
    /// </summary>
    public static async Task<IResult> Inbound(HttpContext http, IOptions<TwilioOptions> options, CarrierEvents events, CancellationToken cancellationToken)
    {
        var form = await SignedFormAsync(http, InboundPath, options.Value, cancellationToken);
        var errors = new Dictionary<string, string[]>();
        string Required(string name)
        {
            var value = Field(form, name);
            if (value is null)
            {
                errors[name] = ["is required."];
            }

            return value ?? "";
        }

        var from = Required("From");
        var to = Required("To");
        var sid = Required("MessageSid");
        var body = form.TryGetValue("Body", out var bodyValues) && bodyValues.Count == 1 ? bodyValues.ToString() : null;
        if (body is null)
        {
            errors["Body"] = ["is required."];
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }

        var whatsApp = from.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase) || to.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase);
        await events.ReceiveAsync(
            new InboundText(TwilioCarrier.CarrierName, sid, StripChannel(from), StripChannel(to), body!, whatsApp ? Messages.MessageChannels.WhatsApp : Messages.MessageChannels.Sms),
            cancellationToken);
        return Results.Text("<Response/>", "text/xml");
    }

    /// <summary>
    /// The posted form, once its signature is right: 403 without a valid signature (checked against
    /// <see cref="TwilioOptions.PublicUrl"/>, the path and the query exactly as called), 415 for a body
    /// that is not a form, 400 for a form that cannot be read.
    /// </summary>
    private static async Task<IFormCollection> SignedFormAsync(HttpContext http, string path, TwilioOptions options, CancellationToken cancellationToken)
    {
        if (!options.IsConfigured || string.IsNullOrEmpty(options.AuthToken) || string.IsNullOrEmpty(options.PublicUrl))
        {
            throw ApiException.Forbidden("Twilio is not configured on this server.");
        }

        if (http.Request.Headers[SignatureHeader] is not { Count: 1 } signatureValues || string.IsNullOrEmpty(signatureValues.ToString()))
        {
            throw ApiException.Forbidden($"The {SignatureHeader} header is missing.");
        }

        if (!http.Request.HasFormContentType)
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{http.Request.ContentType}' is not supported; Twilio posts application/x-www-form-urlencoded.");
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw ApiException.BadRequest("The form could not be read: " + e.Message);
        }

        // A repeated field cannot be signed the way the validator computes it: it does not validate.
        var fields = form.ToDictionary(f => f.Key, f => f.Value.Count == 1 ? f.Value.ToString() : "\0" + f.Value, StringComparer.Ordinal);
        var url = options.CallbackBase + path + http.Request.QueryString.Value;
        if (!new RequestValidator(options.AuthToken).Validate(url, fields, signatureValues.ToString()))
        {
            throw ApiException.Forbidden($"The {SignatureHeader} header does not match the request.");
        }

        return form;
    }

    private static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values is { Count: 1 } && !StringValues.IsNullOrEmpty(values) ? values.ToString() : null;

    private static string StripChannel(string address) =>
        address.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase) ? address[WhatsAppPrefix.Length..] : address;
}
