using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;

namespace Hypermedia.Server.Features.BulkSends;

/// <summary>A bulk send that passed every rule checked before the 202.</summary>
public sealed record ValidBulkSend(
    Account Account, string From, IReadOnlyList<Recipient> Recipients, string Body, long SenderId, string SenderSlug, DateTimeOffset? ScheduledAt, long? AttachmentId = null)
{
    public string Channel { get; init; } = MessageChannels.Sms;

    /// <summary>The WhatsApp template it is sent from, and the values the send gave (jsonb); null otherwise.</summary>
    public (long Id, string Slug, string Given)? Template { get; init; }
}

/// <summary>
/// Accepting a send to several recipients: the bulk send and its recipients' numbers (two rows, one
/// SaveChanges, so one transaction), then its first fan-out job, or its start job when it is scheduled. The row is the record of the work:
/// should the process die before the job exists, the sweep starts it; the recipients' own rows are written
/// by the first fan-out run, or the first request that reads or cancels them (<see cref="BulkSendRecipientRows"/>).
/// </summary>
public sealed class BulkSendAcceptance(HypermediaDbContext db, BulkSendJobs fanOut, TimeProvider clock)
{
    public async Task<BulkSendView> AcceptAsync(ValidBulkSend send, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var bulkSend = new BulkSend
        {
            Slug = Slugs.New(),
            AccountId = send.Account.Id,
            SenderId = send.SenderId,
            AccountPhoneNumber = send.From,
            Body = send.Body,
            AttachmentId = send.AttachmentId,
            Channel = send.Channel,
            WhatsAppTemplateId = send.Template?.Id,
            TemplateValues = send.Template?.Given,
            State = send.ScheduledAt is null ? BulkSendStates.Queued : BulkSendStates.Scheduled,
            ScheduledAt = send.ScheduledAt,
            TotalCount = send.Recipients.Count,
            CreatedAt = now,
            LatestEventAt = now,
        };
        db.BulkSends.Add(bulkSend);
        db.Add(new AcceptedRecipients { BulkSend = bulkSend, Numbers = [.. send.Recipients.Select(r => r.Number.E164)], Positions = [.. send.Recipients.Select(r => r.Position)] });
        await db.SaveChangesAsync(cancellationToken);

        bulkSend.JobIds = send.ScheduledAt is { } at
            ? await fanOut.ScheduleStartAsync(bulkSend.Id, at, cancellationToken)
            : await fanOut.EnqueueAsync(bulkSend.Id, bulkSend.TotalCount, cancellationToken);
        return new BulkSendView(bulkSend, send.Account.Slug, send.SenderSlug, Delivered: 0, Failed: 0, send.Template?.Slug);
    }
}
