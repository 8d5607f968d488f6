namespace Hypermedia.Server.Platform.Outbound;

/// <summary>Why a fetch gave nothing.</summary>
public enum OutboundFailure
{
    /// <summary>The address is not public, or the URL redirected too many times: nothing was (or will be) fetched from it.</summary>
    Refused,

    /// <summary>The file is larger than the caller accepts.</summary>
    TooLarge,

    /// <summary>The host was not found, refused the connection, or broke it off.</summary>
    Unreachable,

    /// <summary>The whole fetch took longer than <see cref="OutboundOptions.TimeoutSeconds"/>.</summary>
    Timeout,

    /// <summary>The final answer was not a 2xx (or a redirect had no Location).</summary>
    BadStatus,

    /// <summary>Not an absolute http or https URL with a host and no user name or password.</summary>
    BadUrl,
}

/// <summary>
/// A fetch refused or failed. The message names the URL's problem in words its client can act on (it
/// becomes the 422 error text of the field that carried the URL); it never holds a query string.
/// </summary>
public sealed class OutboundFetchException(OutboundFailure failure, string reason) : Exception(reason)
{
    public OutboundFailure Failure { get; } = failure;
}
