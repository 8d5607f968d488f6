namespace Hypermedia.Server.Features.Carriers.Simulator;

/// <summary>The <c>Carriers:Simulator</c> configuration section.</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Carriers:Simulator";

    /// <summary>How long after dispatch the simulator reports the outcome.</summary>
    public int DeliveryDelayMilliseconds { get; set; } = 1000;

    /// <summary>
    /// The secret a caller of the simulator's inbound endpoint (a person or test playing the contact)
    /// sends in <c>X-Simulator-Secret</c>. Unset: the endpoint refuses everyone. In Development one is made
    /// at start and printed beside the demo token.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>True when <see cref="Secret"/> was made at start because none was configured (Development only).</summary>
    public bool SecretGenerated { get; internal set; }
}
