using Hypermedia.Querying;
using Hypermedia.Server.Platform.Collections;

namespace Hypermedia.Server.Features.BulkSends;

/// <summary>How bulk sends and their recipients are filtered and ordered.</summary>
public static class BulkSendQueries
{
    public static readonly QueryModel<BulkSend> Model = QueryModel.Create<BulkSend, BulkSendRow>("BulkSend", b => new BulkSendRow
    {
        Entity = b,
        State = b.State,
        Body = b.Body,
        From = b.AccountPhoneNumber,
        Total = b.TotalCount,
        CreatedAt = b.CreatedAt,
        ScheduledAt = b.ScheduledAt,
    });

    /// <summary>Newest first, on the (account, created, id) index.</summary>
    public static readonly KeysetOrder<BulkSend> NewestFirst = KeysetOrder<BulkSend>.By(b => b.CreatedAt, b => b.Id, descending: true);

    public static readonly QueryModel<BulkSendRecipient> RecipientModel = QueryModel.Create<BulkSendRecipient, RecipientRow>("BulkSendRecipient", r => new RecipientRow
    {
        Entity = r,
        Position = r.Position,
        PhoneNumber = r.PhoneNumber,
        State = r.State,
        Reason = r.Reason,
        ProcessedAt = r.ProcessedAt,
    });

    /// <summary>The request's order, on the (bulk send, position) index.</summary>
    public static readonly KeysetOrder<BulkSendRecipient> InRequestOrder = KeysetOrder<BulkSendRecipient>.By(r => r.Position, r => r.Id);

    private sealed class BulkSendRow : QueryRow<BulkSend>
    {
        public required string State { get; init; }

        public required string Body { get; init; }

        public required string From { get; init; }

        public required int Total { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }

        public required DateTimeOffset? ScheduledAt { get; init; }
    }

    private sealed class RecipientRow : QueryRow<BulkSendRecipient>
    {
        public required int Position { get; init; }

        public required string PhoneNumber { get; init; }

        public required string State { get; init; }

        public required string? Reason { get; init; }

        public required DateTimeOffset? ProcessedAt { get; init; }
    }
}
