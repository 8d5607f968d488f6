using Hypermedia.Server.Features.Carriers.Simulator;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hypermedia.Server.Tests.Features;

/// <summary>
/// The dispatch job's exactly-once rules, run directly against rows arranged in the states a crash or a
/// concurrent run leaves behind (the crash itself, with real processes, is in MessageDurabilityTests).
/// </summary>
public sealed class MessageDispatchTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    /// <summary>A queued outgoing message with no job, as a crash between commit and enqueue leaves it.</summary>
    private async Task<long> QueuedMessageAsync(DateTimeOffset? dispatchStartedAt = null, TimeSpan? age = null)
    {
        var account = await api.CreateAccountAsync();
        var message = Texts.OutgoingMessage(account.Id, account.PhoneNumbers[0], "+13032234567", DateTimeOffset.UtcNow - (age ?? TimeSpan.Zero));
        message.Carrier = SimulatorCarrier.CarrierName;
        message.DispatchStartedAt = dispatchStartedAt;
        return (await api.RecordOutgoingAsync(message)).Id;
    }

    private Task<Message> RowAsync(long id) => api.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == id));

    private async Task DispatchAsync(long id)
    {
        await using var scope = api.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<MessageDispatch>(scope.ServiceProvider).RunAsync(id);
    }

    [Fact]
    public async Task A_run_that_finds_an_earlier_run_died_during_the_carrier_call_ends_the_message_unknown_without_sending()
    {
        var id = await QueuedMessageAsync(dispatchStartedAt: DateTimeOffset.UtcNow.AddMinutes(-1));

        await DispatchAsync(id);

        var row = await RowAsync(id);
        Assert.Equal(DeliveryStates.Unknown, row.DeliveryState);
        Assert.Equal(MessageDispatch.DiedDuringCall, row.FailureReason);
        Assert.Null(row.CarrierMessageId);
    }

    [Fact]
    public async Task A_run_that_finds_another_run_holding_the_message_leaves_it_alone()
    {
        var id = await QueuedMessageAsync();
        // The other run's session holds the lock (a holder that dies loses it with its session: MessageDurabilityTests).
        await using var other = new NpgsqlConnection(api.ConnectionString);
        await other.OpenAsync();
        await using (var lockIt = new NpgsqlCommand($"SELECT pg_advisory_lock(hashtextextended('message_dispatch:' || {id}, 0))", other))
        {
            await lockIt.ExecuteScalarAsync();
        }

        await DispatchAsync(id);
        var whileHeld = await RowAsync(id);
        await using (var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock(hashtextextended('message_dispatch:' || {id}, 0))", other))
        {
            await unlock.ExecuteScalarAsync();
        }

        await DispatchAsync(id);
        var afterwards = await RowAsync(id);

        Assert.Equal((DeliveryStates.Queued, (DateTimeOffset?)null), (whileHeld.DeliveryState, whileHeld.DispatchStartedAt));
        Assert.NotEqual(DeliveryStates.Queued, afterwards.DeliveryState);
        Assert.StartsWith("SIM", afterwards.CarrierMessageId);
    }

    [Fact]
    public async Task A_second_run_after_a_dispatch_changes_nothing()
    {
        var id = await QueuedMessageAsync();
        await DispatchAsync(id);
        var first = await RowAsync(id);

        await DispatchAsync(id);

        var second = await RowAsync(id);
        Assert.Equal(first.CarrierMessageId, second.CarrierMessageId);
        Assert.Equal(first.DispatchStartedAt, second.DispatchStartedAt);
    }

    [Fact]
    public async Task The_sweep_enqueues_a_message_left_queued_without_a_job_and_not_a_fresh_one()
    {
        var stale = await QueuedMessageAsync(age: QueuedMessageSweep.Grace + TimeSpan.FromMinutes(1));
        var fresh = await QueuedMessageAsync();

        await api.WithServicesAsync(services => ActivatorUtilities.CreateInstance<QueuedMessageSweep>(services).RunAsync());

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await RowAsync(stale)).DeliveryState == DeliveryStates.Queued)
        {
            Assert.True(DateTime.UtcNow < deadline, "the swept message was never dispatched");
            await Task.Delay(50);
        }

        Assert.Equal((DeliveryStates.Queued, (DateTimeOffset?)null), ((await RowAsync(fresh)).DeliveryState, (await RowAsync(fresh)).DispatchStartedAt));
    }
}
