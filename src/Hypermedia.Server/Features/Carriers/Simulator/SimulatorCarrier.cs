using Hangfire;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Features.Carriers.Simulator;

/// <summary>
/// The built-in carrier, so the product works end to end with no outside service. It takes every text,
/// then reports the outcome after a delay through the same path a real carrier's status callback takes.
/// Test numbers: one ending 0000 fails (<c>failed</c>), 0001 fails for now (<c>failed_transient</c>),
/// 0002 ends <c>unknown</c>; every other number is delivered.
/// </summary>
public sealed class SimulatorCarrier(IBackgroundJobClient jobs, IOptions<SimulatorOptions> options) : ICarrier
{
    public const string CarrierName = "simulator";

    public string Name => CarrierName;

    public static string OutcomeFor(string number) => number[^4..] switch
    {
        "0000" => Messages.DeliveryStates.Failed,
        "0001" => Messages.DeliveryStates.FailedTransient,
        "0002" => Messages.DeliveryStates.Unknown,
        _ => Messages.DeliveryStates.Delivered,
    };

    public Task<CarrierSendResult> SendAsync(OutboundText text, CancellationToken cancellationToken)
    {
        var id = "SIM" + Guid.NewGuid().ToString("N");
        jobs.Schedule<SimulatorReports>(
            r => r.ReportAsync(text.MessageSlug, id, OutcomeFor(text.To)),
            TimeSpan.FromMilliseconds(options.Value.DeliveryDelayMilliseconds));
        return Task.FromResult(CarrierSendResult.Accepted(id));
    }

    /// <summary>One delayed report for the whole chunk: a job per text would cost more than the texts.</summary>
    public Task<IReadOnlyList<CarrierSendResult>> SendManyAsync(IReadOnlyList<OutboundText> texts, CancellationToken cancellationToken)
    {
        var results = new CarrierSendResult[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            results[i] = CarrierSendResult.Accepted("SIM" + Guid.NewGuid().ToString("N"));
        }

        var slugs = texts.Select(t => t.MessageSlug).ToArray();
        var ids = results.Select(r => r.CarrierMessageId!).ToArray();
        var states = texts.Select(t => OutcomeFor(t.To)).ToArray();
        jobs.Schedule<SimulatorReports>(r => r.ReportManyAsync(slugs, ids, states), TimeSpan.FromMilliseconds(options.Value.DeliveryDelayMilliseconds));
        return Task.FromResult<IReadOnlyList<CarrierSendResult>>(results);
    }
}

/// <summary>The simulator's status callback, as a delayed job.</summary>
public sealed class SimulatorReports(CarrierEvents events)
{
    public async Task ReportAsync(string messageSlug, string carrierMessageId, string state)
    {
        var reason = state == Messages.DeliveryStates.Delivered ? null : "simulated outcome for a test number";
        await events.ApplyStatusAsync(SimulatorCarrier.CarrierName, messageSlug, carrierMessageId, state, reason, CancellationToken.None);
    }

    /// <summary>A chunk's reports (slugs, carrier ids and outcomes in step), a few statements for all of them.</summary>
    public async Task ReportManyAsync(string[] messageSlugs, string[] carrierMessageIds, string[] states)
    {
        foreach (var group in Enumerable.Range(0, messageSlugs.Length).GroupBy(i => states[i]))
        {
            var reason = group.Key == Messages.DeliveryStates.Delivered ? null : "simulated outcome for a test number";
            await events.ApplyStatusesAsync(
                SimulatorCarrier.CarrierName, [.. group.Select(i => messageSlugs[i])], [.. group.Select(i => carrierMessageIds[i])], group.Key, reason, CancellationToken.None);
        }
    }
}
