namespace Hypermedia.Server.Features.Messages;

/// <summary>Limits every message obeys, whichever way it arrives.</summary>
public static class MessageRules
{
    /// <summary>Ten SMS segments' worth; the catalogue's limit for a body.</summary>
    public const int MaxBodyLength = 1600;

    /// <summary>Recipients of one send (a bulk send); each gets its own message.</summary>
    public const int MaxRecipients = 10_000;
}
