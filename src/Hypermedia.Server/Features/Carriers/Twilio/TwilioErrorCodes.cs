using System.Collections.Frozen;
using Hypermedia.Server.Features.Messages;

namespace Hypermedia.Server.Features.Carriers.Twilio;

/// <summary>
/// Which of Twilio's error codes end a message for good and which leave it retryable
/// (https://www.twilio.com/docs/api/errors). The lists are documented in docs/operations.md.
/// </summary>
public static class TwilioErrorCodes
{
    /// <summary>
    /// Errors of the Messages API that no retry of the same text to the same recipient can cure: the
    /// recipient's number is invalid, unroutable or opted out, or the text itself is unacceptable.
    /// Every other refusal (our credentials, account, sender number or limits) sent nothing and may
    /// succeed once an operator fixes it, so it is failed_transient.
    /// </summary>
    public static readonly FrozenSet<int> PermanentSendErrors = FrozenSet.Create(
        21211, // invalid 'To' phone number
        21214, // 'To' phone number cannot be reached
        21217, // phone number does not appear to be valid
        21265, // 'To' number cannot be a short code
        21266, // 'To' and 'From' are the same number
        21401, // invalid phone number
        21407, // this number type does not support SMS
        21408, // sending to the 'To' number's region is not enabled
        21421, // phone number is invalid
        21610, // the recipient replied STOP (unsubscribed)
        21612, // the 'To' number is not reachable via SMS
        21614, // 'To' number is not a valid mobile number
        21602, // message body is required
        21617, // body exceeds 1,600 characters
        21619); // a body or media is required

    /// <summary>
    /// Delivery errors (of undelivered/failed status callbacks) that say "not now" rather than "never":
    /// a full queue, a phone switched off or out of coverage, congestion, rate and daily limits, our
    /// account's standing, or an unknown error. Every other delivery error is final.
    /// </summary>
    public static readonly FrozenSet<int> TransientDeliveryErrors = FrozenSet.Create(
        30001, // queue overflow
        30002, // account suspended
        30003, // unreachable destination handset (off, out of coverage)
        30008, // unknown error
        30009, // missing segment
        30010, // price exceeds the max price
        30017, // carrier network congestion
        30022, // A2P 10DLC throughput exceeded
        30023, // daily message cap reached
        30027); // carrier daily limit reached

    /// <summary>Our delivery state for a status callback's MessageStatus and ErrorCode; null for a status we do not know.</summary>
    public static string? DeliveryState(string messageStatus, int? errorCode) => messageStatus switch
    {
        "queued" or "accepted" or "scheduled" or "sending" or "sent" => DeliveryStates.Dispatched,
        "delivered" or "read" => DeliveryStates.Delivered,
        "undelivered" or "failed" => errorCode is { } code && TransientDeliveryErrors.Contains(code)
            ? DeliveryStates.FailedTransient
            : DeliveryStates.Failed,
        "canceled" => DeliveryStates.Failed,
        _ => null,
    };
}
