namespace Hypermedia.Server.Features.Carriers;

/// <summary>
/// A way to hand texts to phones: the built-in simulator or Twilio. Sending is this interface; what a
/// carrier reports back (delivery states, inbound texts) goes through <see cref="CarrierEvents"/>, the one
/// path every carrier's callbacks share.
/// </summary>
public interface ICarrier
{
    /// <summary>Stored on each message it sends, and the key its callbacks find messages by.</summary>
    string Name { get; }

    /// <summary>
    /// Hands one text to the carrier. Never retried by the caller after it started: an exception means
    /// the outcome is not known.
    /// </summary>
    Task<CarrierSendResult> SendAsync(OutboundText text, CancellationToken cancellationToken);

    /// <summary>
    /// Hands several texts over (a bulk send's chunk): one answer per text, in order. A text whose call
    /// ended without an answer is <see cref="CarrierOutcome.Unknown"/>; the others are not affected. By
    /// default one call per text; a carrier with a cheaper way (the simulator) overrides it.
    /// </summary>
    async Task<IReadOnlyList<CarrierSendResult>> SendManyAsync(IReadOnlyList<OutboundText> texts, CancellationToken cancellationToken)
    {
        var results = new CarrierSendResult[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            try
            {
                results[i] = await SendAsync(texts[i], cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                results[i] = CarrierSendResult.Unknown("the carrier did not answer: " + e.Message);
            }
        }

        return results;
    }
}

/// <summary>
/// A text to send: the message's slug (for the carrier's logs and callbacks), numbers in E.164, and the
/// paths of the files it carries on this server's public address (<c>/media/{key}</c>; the carrier fetches them).
/// </summary>
public sealed record OutboundText(string MessageSlug, string From, string To, string Body, IReadOnlyList<string> MediaPaths)
{
    /// <summary>sms, or whatsapp: then From is the account's WhatsApp number.</summary>
    public string Channel { get; init; } = Messages.MessageChannels.Sms;

    /// <summary>The approved WhatsApp template it is sent from, null otherwise; <see cref="Body"/> is then the rendered template.</summary>
    public OutboundTemplate? Template { get; init; }
}

/// <summary>
/// A WhatsApp template as the carrier sends it: its content id there (a Twilio Content SID; null when the
/// template has none, and the carrier sends the rendered body) and the value of each variable by name.
/// </summary>
public sealed record OutboundTemplate(string? ContentSid, IReadOnlyDictionary<string, string> Variables);

/// <summary>What a carrier said about a text it was handed.</summary>
public enum CarrierOutcome
{
    /// <summary>Taken: the message is dispatched; callbacks will say more.</summary>
    Accepted,

    /// <summary>Refused for good (an invalid number, a landline).</summary>
    Failed,

    /// <summary>Refused for now (the carrier was down, busy or slow); the user may retry.</summary>
    FailedTransient,

    /// <summary>The call ended without an answer: the carrier may or may not have the text.</summary>
    Unknown,
}

public sealed record CarrierSendResult(CarrierOutcome Outcome, string? CarrierMessageId, string? Reason)
{
    public static CarrierSendResult Accepted(string carrierMessageId) => new(CarrierOutcome.Accepted, carrierMessageId, null);

    public static CarrierSendResult Failed(string reason) => new(CarrierOutcome.Failed, null, reason);

    public static CarrierSendResult FailedTransient(string reason) => new(CarrierOutcome.FailedTransient, null, reason);

    public static CarrierSendResult Unknown(string reason) => new(CarrierOutcome.Unknown, null, reason);
}

/// <summary>A text someone sent to one of the accounts' numbers, as a carrier reported it.</summary>
/// <param name="CarrierMessageId">The carrier's id for it: a repeated webhook with the same id records nothing new.</param>
public sealed record InboundText(string Carrier, string? CarrierMessageId, string From, string To, string Body, string Channel = "sms");
