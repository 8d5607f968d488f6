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

    /// <summary>The numbers among <paramref name="numbers"/> whose window with the account is open at <paramref name="now"/> (a bulk send's chunk, one query).</summary>
    public static async Task<HashSet<string>> OpenAmongAsync(HypermediaDbContext db, long accountId, string[] numbers, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - Length;
        var open = await db.Set<Message>().Where(m => m.AccountId == accountId && numbers.Contains(m.PhoneNumber)
                && m.Channel == MessageChannels.WhatsApp && m.Direction == Message.Incoming && m.CreatedAt > since)
            .Select(m => m.PhoneNumber).Distinct().ToListAsync(ct);
        return [.. open];
    }

    /// <summary>Why a free-form WhatsApp message may not go to <paramref name="e164"/>: the phrase a 422 or a skip reason gives.</summary>
    public static string Closed(string e164) =>
        $"{e164} has not sent this account a WhatsApp message in the last 24 hours: outside WhatsApp's customer-service window only an approved template may be sent (template: {{id, variable_values}})";

    /// <summary>Compiled once: every WhatsApp send asks it. The channel and direction are literals, so the partial index applies.</summary>
    private static readonly Func<HypermediaDbContext, long, string, DateTimeOffset, CancellationToken, Task<bool>> OpenQuery =
        EF.CompileAsyncQuery((HypermediaDbContext db, long accountId, string e164, DateTimeOffset since, CancellationToken ct) =>
            db.Set<Message>().Any(m => m.AccountId == accountId && m.PhoneNumber == e164
                && m.Channel == MessageChannels.WhatsApp && m.Direction == Message.Incoming && m.CreatedAt > since));
}
