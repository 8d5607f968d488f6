using Hypermedia.Server.Features.Carriers;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>
/// Messages for tests, recorded the way the server records them: inbound through the carrier events,
/// outbound through the conversation ledger without a dispatch job, so an arranged state stays put.
/// </summary>
public static class Texts
{
    /// <summary>The account's first number, which texts are sent to and from.</summary>
    public static Task<string> AccountNumberAsync(this ApiFactory api, string accountSlug) =>
        api.WithDbAsync(db => db.Accounts.Where(a => a.Slug == accountSlug).Select(a => a.PhoneNumbers[0]).SingleAsync());

    /// <summary>A text from <paramref name="from"/> to the account; returns the conversation's slug.</summary>
    public static async Task<string> InboundAsync(this ApiFactory api, string accountSlug, string from, string body = "Hello there")
    {
        var to = await api.AccountNumberAsync(accountSlug);
        Message? message = null;
        await api.WithServicesAsync(async services =>
            message = await services.GetRequiredService<CarrierEvents>().ReceiveAsync(new InboundText("simulator", null, from, to, body), default));
        return await api.WithDbAsync(db => db.Conversations.Where(c => c.Id == message!.ConversationId).Select(c => c.Slug).SingleAsync());
    }

    /// <summary>A text from the account to <paramref name="to"/> (E.164) sent by <paramref name="senderId"/>; returns the conversation's slug.</summary>
    public static async Task<string> OutboundAsync(this ApiFactory api, long accountId, string accountNumber, string to, long senderId, string body = "Hi from us")
    {
        var message = OutgoingMessage(accountId, accountNumber, to, DateTimeOffset.UtcNow);
        message.Body = body;
        message.DeliveryState = DeliveryStates.Delivered;
        message.SenderId = senderId;
        return (await api.RecordOutgoingAsync(message)).ConversationSlug;
    }

    /// <summary>An outgoing message row, queued, at <paramref name="at"/>; a test changes what it is about before recording it.</summary>
    public static Message OutgoingMessage(long accountId, string accountNumber, string to, DateTimeOffset at) => new()
    {
        Slug = Slugs.New(),
        AccountId = accountId,
        PhoneNumber = to,
        AccountPhoneNumber = accountNumber,
        Direction = Message.Outgoing,
        Body = "Hi from us",
        DeliveryState = DeliveryStates.Queued,
        Source = "api",
        TimelinePosition = at,
        LatestEventAt = at,
        CreatedAt = at,
    };

    /// <summary>
    /// Records <paramref name="message"/> with its conversation in one transaction, as the send endpoint does,
    /// but with no dispatch job: the states a test arranges stay as arranged.
    /// </summary>
    public static Task<(long Id, string ConversationSlug)> RecordOutgoingAsync(this ApiFactory api, Message message) =>
        api.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var entry = await ConversationLedger.RecordMessageAsync(
                db, message.AccountId, message.PhoneNumber, message.AccountPhoneNumber, message.TimelinePosition, inbound: false, default);
            message.ConversationId = entry.Id;
            db.Messages.Add(message);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return (message.Id, entry.Slug);
        });
}
