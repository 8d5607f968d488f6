using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Features.Carriers;

/// <summary>The <c>Carriers</c> configuration section: which carrier new messages go through.</summary>
public sealed class CarrierOptions
{
    public const string Section = "Carriers";

    /// <summary>The name of the carrier new messages are sent through: simulator (default) or twilio.</summary>
    public string Default { get; set; } = "simulator";
}

/// <summary>
/// The carriers this server has (each area registers its <see cref="ICarrier"/>), by name. A message is
/// sent through the default carrier and remembers it, so its callbacks and retries find the same one.
/// </summary>
public sealed class CarrierDirectory(IEnumerable<ICarrier> carriers, IOptions<CarrierOptions> options)
{
    private readonly Dictionary<string, ICarrier> byName = carriers.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public ICarrier Default => Get(options.Value.Default);

    public ICarrier Get(string name) =>
        byName.TryGetValue(name, out var carrier)
            ? carrier
            : throw new InvalidOperationException($"No carrier named '{name}' is configured; known: {string.Join(", ", byName.Keys)}.");
}
