using Hangfire;
using Hypermedia.Server.Features.Carriers;
using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// The job that hands one queued message to its carrier, exactly once.
/// </summary>
/// <remarks>
/// Hangfire runs a job at least once (again after a crash, or when the sweep enqueues a second job), so
/// the run decides from the database what is left to do:
/// <list type="bullet">
/// <item>a session advisory lock on the message, held for the whole run, means one run at a time; a
/// second run gives up at once. PostgreSQL drops the lock when the holder's connection dies;</item>
/// <item><see cref="Message.DispatchStartedAt"/> is committed before the carrier is called. A run that
/// finds it set on a message still queued (and the lock free) knows an earlier run died during the call:
/// the carrier may or may not have the text, so the message ends <c>unknown</c> (the user may retry)
/// rather than being sent twice.</item>
/// </list>
/// </remarks>
public sealed class MessageDispatch(HypermediaDbContext db, CarrierDirectory carriers, TimeProvider clock, ILogger<MessageDispatch> log)
{
    public const string DiedDuringCall = "the server stopped while handing it to the carrier; it may or may not have been sent";

    public static void Enqueue(IBackgroundJobClient jobs, long messageId) =>
        jobs.Enqueue<MessageDispatch>(d => d.RunAsync(messageId));

    public async Task RunAsync(long messageId)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            if (!await TryLockAsync(messageId))
            {
                log.LogInformation("Message {MessageId} is being dispatched by another run", messageId);
                return;
            }

            try
            {
                await DispatchAsync(messageId);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock(hashtextextended('message_dispatch:' || {messageId}, 0))");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<bool> TryLockAsync(long messageId) =>
        await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock(hashtextextended('message_dispatch:' || {messageId}, 0)) AS \"Value\"").SingleAsync();

    private async Task DispatchAsync(long messageId)
    {
        var message = await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == messageId);
        if (message is not { DeliveryState: DeliveryStates.Queued })
        {
            return;
        }

        if (message.DispatchStartedAt is not null)
        {
            await SettleAsync(messageId, DeliveryStates.Unknown, DiedDuringCall, carrierMessageId: null);
            return;
        }

        var started = clock.GetUtcNow();
        await db.Messages.Where(m => m.Id == messageId && m.DeliveryState == DeliveryStates.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.DispatchStartedAt, started));

        CarrierSendResult result;
        try
        {
            // No cancellation: once the carrier may have the text, a shutdown must let the call finish.
            result = await carriers.Get(message.Carrier!).SendAsync(
                new OutboundText(message.Slug, message.AccountPhoneNumber, message.PhoneNumber, message.Body), CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Carrier call for message {MessageId} ended without an answer", messageId);
            await SettleAsync(messageId, DeliveryStates.Unknown, "the carrier did not answer: " + e.Message, carrierMessageId: null);
            return;
        }

        var (state, reason) = result.Outcome switch
        {
            CarrierOutcome.Accepted => (DeliveryStates.Dispatched, null),
            CarrierOutcome.Failed => (DeliveryStates.Failed, result.Reason),
            _ => (DeliveryStates.FailedTransient, result.Reason),
        };
        await SettleAsync(messageId, state, reason, result.CarrierMessageId);
    }

    /// <summary>
    /// Records the outcome of the call, unless a status callback overtook it (the carrier reported on the
    /// message before this run got here): then only the carrier's id is kept.
    /// </summary>
    private async Task SettleAsync(long messageId, string state, string? reason, string? carrierMessageId)
    {
        var now = clock.GetUtcNow();
        var settled = await db.Messages.Where(m => m.Id == messageId && m.DeliveryState == DeliveryStates.Queued).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.DeliveryState, state)
            .SetProperty(m => m.FailureReason, reason)
            .SetProperty(m => m.CarrierMessageId, m => carrierMessageId ?? m.CarrierMessageId)
            .SetProperty(m => m.LatestEventAt, now));
        if (settled == 0 && carrierMessageId is not null)
        {
            await db.Messages.Where(m => m.Id == messageId && m.CarrierMessageId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.CarrierMessageId, carrierMessageId));
        }
    }
}
