using Hypermedia.Server.Features.Carriers;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>
/// Messages for tests, recorded the way the server records them: inbound through the carrier events,
/// outbound through the conversation ledger (the send endpoint lives with the messages work).
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
        return await api.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            await using var transaction = await db.Database.BeginTransactionAsync();
            var entry = await ConversationLedger.RecordMessageAsync(db, accountId, to, accountNumber, now, inbound: false, default);
            db.Messages.Add(new Message
            {
                Slug = Slugs.New(),
                AccountId = accountId,
                ConversationId = entry.Id,
                PhoneNumber = to,
                AccountPhoneNumber = accountNumber,
                Direction = Message.Outgoing,
                Body = body,
                DeliveryState = DeliveryStates.Delivered,
                Source = "api",
                SenderId = senderId,
                TimelinePosition = now,
                LatestEventAt = now,
                CreatedAt = now,
            });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return entry.Slug;
        });
    }
}
