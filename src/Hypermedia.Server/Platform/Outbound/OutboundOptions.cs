using System.Net;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Platform.Outbound;

/// <summary>The <c>Outbound</c> configuration section: how the server fetches URLs its clients give it.</summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>
    /// Addresses ("127.0.0.1") or CIDR ranges ("10.1.0.0/16") fetched even though they are not public;
    /// empty by default. The tests allow 127.0.0.1 to fetch from a server on loopback.
    /// </summary>
    public string[] AllowedAddresses { get; set; } = [];

    /// <summary>Redirects followed, each checked like the first URL; one more is refused.</summary>
    public int MaxRedirects { get; set; } = 3;

    /// <summary>How long a whole fetch may take: connecting, the headers, the body and every redirect.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>An entry of <see cref="AllowedAddresses"/> as a range: an address alone is a range of one.</summary>
    internal static bool TryParseAllowed(string entry, out IPNetwork range)
    {
        var slash = entry.IndexOf('/');
        if (slash >= 0)
        {
            // IPNetwork masks bits set after the prefix; "10.0.0.1/8" is more likely a typo than a wish for all of 10/8.
            return IPNetwork.TryParse(entry, out range)
                && IPAddress.TryParse(entry.AsSpan(0, slash), out var written)
                && written.Equals(range.BaseAddress);
        }

        if (IPAddress.TryParse(entry, out var address))
        {
            range = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }

        range = default;
        return false;
    }
}

/// <summary>Checks the <c>Outbound</c> settings at start: a mistyped allowed address stops the start instead of being ignored.</summary>
public sealed class OutboundOptionsValidation : IValidateOptions<OutboundOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboundOptions options)
    {
        var errors = new List<string>();
        foreach (var entry in options.AllowedAddresses)
        {
            if (!OutboundOptions.TryParseAllowed(entry, out _))
            {
                errors.Add($"{OutboundOptions.Section}:AllowedAddresses has \"{entry}\", which is neither an IP address nor a CIDR range such as 10.1.0.0/16 (no bits set after the prefix).");
            }
        }

        if (options.MaxRedirects is < 0 or > 20)
        {
            errors.Add($"{OutboundOptions.Section}:MaxRedirects must be between 0 and 20.");
        }

        if (options.TimeoutSeconds is < 1 or > 300)
        {
            errors.Add($"{OutboundOptions.Section}:TimeoutSeconds must be between 1 and 300.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
