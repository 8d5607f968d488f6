using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.WhatsApp;

/// <summary>
/// WhatsApp's customer-service window: an account may send a free-form WhatsApp message to a number only
/// within 24 hours of the last WhatsApp message that number sent it; outside it, only an approved template.
/// </summary>
public static class WhatsAppWindow
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    /// <summary>
    /// True when an inbound WhatsApp message from <paramref name="e164"/> to the account was received less than
    /// <see cref="Length"/> before <paramref name="now"/>: the window opens at the message's receipt (inclusive)
    /// and closes exactly 24 hours later (exclusive), so a message received 23:59:59 ago keeps it open and one
    /// received 24:00:00 ago does not. A message received after <paramref name="now"/> (another server's clock
    /// a little ahead) counts as open. One indexed lookup (<c>ix_messages_whats_app_inbound</c>).
    /// </summary>
    public static Task<bool> IsOpenAsync(HypermediaDbContext db, long accountId, string e164, DateTimeOffset now, CancellationToken ct) =>
        OpenQuery(db, accountId, e164, now - Length, ct);

    /// <summary>Compiled once: every WhatsApp send asks it. The channel and direction are literals, so the partial index applies.</summary>
    private static readonly Func<HypermediaDbContext, long, string, DateTimeOffset, CancellationToken, Task<bool>> OpenQuery =
        EF.CompileAsyncQuery((HypermediaDbContext db, long accountId, string e164, DateTimeOffset since, CancellationToken ct) =>
            db.Set<Message>().Any(m => m.AccountId == accountId && m.PhoneNumber == e164
                && m.Channel == MessageChannels.WhatsApp && m.Direction == Message.Incoming && m.CreatedAt > since));
}
