using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Microsoft.EntityFrameworkCore;

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
/// Accepting a send to several recipients: the bulk send and every recipient written in one transaction
/// (a single INSERT for all of them), then its fan-out jobs, or its start job when it is scheduled. The
/// rows are the record of the work: should the process die before the jobs exist, the sweep starts them.
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

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.BulkSends.Add(bulkSend);
            await db.SaveChangesAsync(cancellationToken);
            var positions = send.Recipients.Select(r => r.Position).ToArray();
            var numbers = send.Recipients.Select(r => r.Number.E164).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO bulk_send_recipients (bulk_send_id, position, phone_number, state)
                SELECT {bulkSend.Id}, u.position, u.phone_number, 'pending'
                FROM unnest({positions}::integer[], {numbers}::text[]) AS u(position, phone_number)
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        bulkSend.JobIds = send.ScheduledAt is { } at
            ? await fanOut.ScheduleStartAsync(bulkSend.Id, at, cancellationToken)
            : await fanOut.EnqueueAsync(bulkSend.Id, bulkSend.TotalCount, cancellationToken);
        return new BulkSendView(bulkSend, send.Account.Slug, send.SenderSlug, Delivered: 0, Failed: 0, send.Template?.Slug);
    }
}
