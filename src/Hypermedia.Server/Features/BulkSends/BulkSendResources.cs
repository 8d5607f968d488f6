using System.ComponentModel;
using System.Globalization;
using System.Linq.Expressions;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Platform.Jobs;

namespace Hypermedia.Server.Features.BulkSends;

/// <summary>A bulk send with what its document shows from other rows, read in one statement.</summary>
public sealed record BulkSendView(BulkSend Send, string AccountSlug, string SenderSlug, int Delivered, int Failed, string? TemplateSlug = null)
{
    /// <summary>Message states counted as failed: not delivered, and either final or waiting on a retry.</summary>
    public static readonly string[] FailedStates = [DeliveryStates.Failed, DeliveryStates.FailedTransient, DeliveryStates.Unknown];

    public static Expression<Func<BulkSend, BulkSendView>> Projection(HypermediaDbContext db) => b => new BulkSendView(
        b,
        b.Account!.Slug,
        b.Sender!.Slug,
        db.Set<Message>().Count(m => m.BulkSendId == b.Id && m.DeliveryState == DeliveryStates.Delivered),
        db.Set<Message>().Count(m => m.BulkSendId == b.Id && FailedStates.Contains(m.DeliveryState)),
        b.WhatsAppTemplateId == null ? null : db.Set<WhatsApp.WhatsAppTemplate>().Where(t => t.Id == b.WhatsAppTemplateId).Select(t => t.Slug).FirstOrDefault());
}

[HydraClass("Bulk send", "One text sent to several recipients, fanned out by background jobs; its counts move as it goes.")]
public sealed class BulkSendResource() : Resource("BulkSend")
{
    [Description("The account it is sent from")]
    public required string Account { get; init; }

    [Description("The user who sent it")]
    public required string Sender { get; init; }

    [Description("The account's number it is sent from, E.164")]
    public required string From { get; init; }

    [Description("The text (from a WhatsApp template: the template's body, filled in for each recipient)")]
    public required string Body { get; init; }

    [Description("sms or whatsapp: what its messages travel over")]
    public required string Channel { get; init; }

    [Description("The WhatsApp template its messages are sent from, or null")]
    public required string? WhatsAppTemplate { get; init; }

    [Description("scheduled, queued, sending, completed or cancelled")]
    public required string State { get; init; }

    [Description("When a scheduled bulk send starts, or null")]
    public required DateTimeOffset? ScheduledAt { get; init; }

    [Description("Distinct recipients (duplicates collapse)")]
    public required int Total { get; init; }

    [Description("Recipients whose message was created and handed to the carrier")]
    public required int Sent { get; init; }

    [Description("Recipients skipped (opted out, blocked), each with its reason")]
    public required int Skipped { get; init; }

    [Description("Recipients not processed because the send was cancelled")]
    public required int Cancelled { get; init; }

    [Description("Recipients not processed yet")]
    public required int Pending { get; init; }

    [Description("Messages whose delivery failed (failed, failed_transient or unknown)")]
    public required int Failed { get; init; }

    [Description("Messages delivered")]
    public required int Delivered { get; init; }

    [Description("Share of recipients processed, 0 to 1")]
    public required double Progress { get; init; }

    [Description("Its recipients, in the order the request listed them, with their states")]
    public required string Recipients { get; init; }

    [Description("Its fan-out job on the jobs dashboard (support staff), or null before a job exists")]
    public required string? Job { get; init; }

    [Description("Cancel the recipients not processed yet, or null when it may not be cancelled now")]
    public required string? Cancel { get; init; }

    [Description("When it was accepted")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("When its fan-out started, or null")]
    public required DateTimeOffset? StartedAt { get; init; }

    [Description("When its last recipient was processed, or null")]
    public required DateTimeOffset? CompletedAt { get; init; }

    [Description("When it was cancelled, or null")]
    public required DateTimeOffset? CancelledAt { get; init; }

    public static BulkSendResource Of(BulkSendView view, Iris iris)
    {
        var send = view.Send;
        var id = new { id = send.Slug };
        var processed = send.SentCount + send.SkippedCount + send.CancelledCount;
        return new BulkSendResource
        {
            Id = iris.For(BulkSendsApi.BulkSendRoute, id),
            Account = iris.For(AccountsApi.AccountRoute, new { account = view.AccountSlug }),
            Sender = iris.For(UsersApi.UserRoute, new { id = view.SenderSlug }),
            From = send.AccountPhoneNumber,
            Body = send.Body,
            Channel = send.Channel,
            WhatsAppTemplate = view.TemplateSlug is null ? null : iris.For(WhatsApp.WhatsAppApi.TemplateRoute, new { id = view.TemplateSlug }),
            State = send.State,
            ScheduledAt = send.ScheduledAt,
            Total = send.TotalCount,
            Sent = send.SentCount,
            Skipped = send.SkippedCount,
            Cancelled = send.CancelledCount,
            Pending = send.TotalCount - processed,
            Failed = view.Failed,
            Delivered = view.Delivered,
            Progress = send.TotalCount == 0 ? 1 : Math.Round((double)processed / send.TotalCount, 4),
            Recipients = iris.For(BulkSendsApi.RecipientsRoute, id),
            Job = send.JobIds.Count == 0 ? null : JobsOptions.DashboardPath + "/jobs/details/" + Uri.EscapeDataString(send.JobIds[0]),
            Cancel = BulkSendStates.Cancellable.Contains(send.State) ? iris.For(BulkSendsApi.CancelRoute, id) : null,
            CreatedAt = send.CreatedAt,
            StartedAt = send.StartedAt,
            CompletedAt = send.CompletedAt,
            CancelledAt = send.CancelledAt,
        };
    }
}

/// <summary>A recipient with the slugs its IRIs need.</summary>
public sealed record RecipientView(BulkSendRecipient Recipient, string BulkSendSlug, string? MessageSlug);

/// <summary>One recipient of a bulk send. Its IRI is a fragment of the recipients collection it belongs to.</summary>
[HydraClass("Bulk send recipient", "One recipient of a bulk send: its number, what happened to it and the message it got.")]
public sealed class BulkSendRecipientResource() : Resource("BulkSendRecipient")
{
    [Description("Its index in the request's to")]
    public required int Position { get; init; }

    [Description("E.164 number")]
    public required string PhoneNumber { get; init; }

    [Description("pending, sent, skipped or cancelled")]
    public required string State { get; init; }

    [Description("Why it was skipped or cancelled, or null")]
    public required string? Reason { get; init; }

    [Description("The message it was sent, or null")]
    public required string? Message { get; init; }

    [Description("When it was processed, or null while pending")]
    public required DateTimeOffset? ProcessedAt { get; init; }

    [Description("The bulk send it belongs to")]
    public required string BulkSend { get; init; }

    public static BulkSendRecipientResource Of(RecipientView view, Iris iris)
    {
        var recipient = view.Recipient;
        return new BulkSendRecipientResource
        {
            Id = iris.For(BulkSendsApi.RecipientsRoute, new { id = view.BulkSendSlug }) + "#recipient-" + recipient.Position.ToString(CultureInfo.InvariantCulture),
            Position = recipient.Position,
            PhoneNumber = recipient.PhoneNumber,
            State = recipient.State,
            Reason = recipient.Reason,
            Message = view.MessageSlug is null ? null : iris.For(MessagesApi.MessageRoute, new { id = view.MessageSlug }),
            ProcessedAt = recipient.ProcessedAt,
            BulkSend = iris.For(BulkSendsApi.BulkSendRoute, new { id = view.BulkSendSlug }),
        };
    }
}
