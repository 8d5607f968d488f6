using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Features.Carriers.Twilio;

/// <summary>The <c>Carriers:Twilio</c> configuration section.</summary>
public sealed class TwilioOptions
{
    public const string Section = "Carriers:Twilio";

    /// <summary>Twilio's own API; <see cref="ApiBaseUrl"/> replaces its scheme, host and port.</summary>
    public const string DefaultApiBaseUrl = "https://api.twilio.com";

    public string? AccountSid { get; set; }

    /// <summary>Authenticates our calls to Twilio and signs Twilio's calls to us.</summary>
    public string? AuthToken { get; set; }

    /// <summary>
    /// The base URL at which Twilio reaches this server (https://sms.example.com, or with a path when a
    /// proxy strips one): status callbacks are sent to it, and webhook signatures are checked against it,
    /// since the URL Twilio signed is not the one the server sees behind a proxy.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Where Twilio's REST API is (tests: a fake on loopback). Only scheme, host and port are used.</summary>
    public string? ApiBaseUrl { get; set; }

    /// <summary>How long one call to Twilio may take before the send counts as failed_transient.</summary>
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>True when any Twilio setting is present: then all of them must be right.</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(AccountSid) || !string.IsNullOrWhiteSpace(AuthToken) || !string.IsNullOrWhiteSpace(PublicUrl);

    /// <summary><see cref="PublicUrl"/> normalized (as Twilio will write it back) and without a trailing slash.</summary>
    public string CallbackBase => new Uri(PublicUrl!, UriKind.Absolute).GetLeftPart(UriPartial.Path).TrimEnd('/');
}

/// <summary>
/// Checks the Twilio settings at start when Twilio is the default carrier or is configured at all; a
/// server that uses only the simulator needs none of them.
/// </summary>
public sealed class TwilioOptionsValidation(IOptions<CarrierOptions> carriers) : IValidateOptions<TwilioOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioOptions options)
    {
        if (!options.IsConfigured && carriers.Value.Default != TwilioCarrier.CarrierName)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.AccountSid))
        {
            errors.Add($"{TwilioOptions.Section}:AccountSid is required.");
        }

        if (string.IsNullOrWhiteSpace(options.AuthToken))
        {
            errors.Add($"{TwilioOptions.Section}:AuthToken is required.");
        }

        if (!IsHttpUrl(options.PublicUrl) || options.PublicUrl!.Contains('?') || options.PublicUrl.Contains('#'))
        {
            errors.Add($"{TwilioOptions.Section}:PublicUrl must be the absolute http(s) URL at which Twilio reaches this server, without query or fragment.");
        }

        if (options.ApiBaseUrl is not null && !IsHttpUrl(options.ApiBaseUrl))
        {
            errors.Add($"{TwilioOptions.Section}:ApiBaseUrl must be an absolute http(s) URL.");
        }

        if (options.TimeoutSeconds is < 1 or > 300)
        {
            errors.Add($"{TwilioOptions.Section}:TimeoutSeconds must be between 1 and 300.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
