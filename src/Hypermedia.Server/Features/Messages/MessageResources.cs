using System.ComponentModel;
using System.Linq.Expressions;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Features.WhatsApp;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Messages;

/// <summary>A message with the slugs its IRIs need and the template it was sent from, read in one query.</summary>
public sealed record MessageView(Message Message, string ConversationSlug, string? SenderSlug, string? BulkSendSlug = null, WhatsAppTemplateView? WhatsAppTemplate = null)
{
    public static readonly Expression<Func<Message, MessageView>> Projection =
        m => new MessageView(m, m.Conversation!.Slug, m.Sender == null ? null : m.Sender.Slug, m.BulkSend == null ? null : m.BulkSend.Slug,
            m.WhatsAppTemplate == null
                ? null
                : new WhatsAppTemplateView(m.WhatsAppTemplate, m.WhatsAppTemplate.Account!.Slug, m.WhatsAppTemplate.CreatedBy == null ? null : m.WhatsAppTemplate.CreatedBy.Slug));
}

[HydraClass("Message", "A text sent to, or received from, a phone number in a conversation.")]
public sealed class MessageResource() : Resource("Message")
{
    [Description("in (from the contact) or out (from a user)")]
    public required string Direction { get; init; }

    [Description("The number it was sent from, E.164 (the account's for outgoing messages)")]
    public required string From { get; init; }

    [Description("The number it was sent to, E.164 (the account's for incoming messages)")]
    public required string To { get; init; }

    [Description("The text")]
    public required string Body { get; init; }

    [Description("When it was sent or received")]
    public required DateTimeOffset DisplayTimestamp { get; init; }

    [Description("Its place in the conversation's timeline (newest last)")]
    public required DateTimeOffset TimelinePosition { get; init; }

    [Description("created, scheduled, queued, dispatched, delivered, failed_transient, unknown, failed or received")]
    public required string DeliveryState { get; init; }

    [Description("The delivery state in words")]
    public required string FriendlyStateDescription { get; init; }

    [Description("The conversation it belongs to")]
    public required string Conversation { get; init; }

    [Description("The user who sent it, or null for an incoming message")]
    public required string? Sender { get; init; }

    [Description("Its attachments")]
    public required string Attachments { get; init; }

    [Description("Whether it may be retried now (failed_transient or unknown)")]
    public required bool RetryAllowed { get; init; }

    [Description("Retry sending it, or null when it may not be retried now")]
    public required string? Retry { get; init; }

    [Description("When its delivery state last changed")]
    public required DateTimeOffset LatestEventAt { get; init; }

    [Description("scheduled, automated")]
    public required IReadOnlyList<string> Flags { get; init; }

    [Description("What created it: api, or the carrier an incoming message came through")]
    public required string Source { get; init; }

    [Description("sms or whatsapp")]
    public required string Channel { get; init; }

    [Description("The WhatsApp template it was sent from, embedded (a deleted one too, with its deletedAt), or null")]
    public required WhatsAppTemplateResource? WhatsAppTemplate { get; init; }

    [Description("When a scheduled message is (or was) due, or null")]
    public required DateTimeOffset? ScheduledAt { get; init; }

    [Description("The bulk send it was fanned out from, or null")]
    public required string? BulkSend { get; init; }

    public static MessageResource Of(MessageView view, Iris iris)
    {
        var message = view.Message;
        var id = new { id = message.Slug };
        var retryAllowed = DeliveryStates.Retryable.Contains(message.DeliveryState);
        var outgoing = message.Direction == Message.Outgoing;
        return new MessageResource
        {
            Id = iris.For(MessagesApi.MessageRoute, id),
            Direction = message.Direction,
            From = outgoing ? message.AccountPhoneNumber : message.PhoneNumber,
            To = outgoing ? message.PhoneNumber : message.AccountPhoneNumber,
            Body = message.Body,
            DisplayTimestamp = message.TimelinePosition,
            TimelinePosition = message.TimelinePosition,
            DeliveryState = message.DeliveryState,
            FriendlyStateDescription = Describe(message),
            Conversation = iris.For(ConversationsApi.ConversationRoute, new { id = view.ConversationSlug }),
            Sender = view.SenderSlug is null ? null : iris.For(UsersApi.UserRoute, new { id = view.SenderSlug }),
            Attachments = iris.For(MessagesApi.MessageAttachmentsRoute, id),
            RetryAllowed = retryAllowed,
            Retry = retryAllowed ? iris.For(MessagesApi.MessageRetryRoute, id) : null,
            LatestEventAt = message.LatestEventAt,
            Flags = message.Flags,
            Source = message.Source,
            Channel = message.Channel,
            WhatsAppTemplate = view.WhatsAppTemplate is { } template ? WhatsAppTemplateResource.Of(template, iris) : null,
            ScheduledAt = message.ScheduledAt,
            BulkSend = view.BulkSendSlug is null ? null : iris.For(BulkSends.BulkSendsApi.BulkSendRoute, new { id = view.BulkSendSlug }),
        };
    }

    private static string Describe(Message message)
    {
        var words = message.DeliveryState switch
        {
            DeliveryStates.Created => "Message Created",
            DeliveryStates.Scheduled => "Message Scheduled",
            DeliveryStates.Queued => "Message Queued",
            DeliveryStates.Dispatched => "Message Sent to Carrier",
            DeliveryStates.Delivered => "Message Delivered",
            DeliveryStates.FailedTransient => "Message Failed Temporarily: Retry Allowed",
            DeliveryStates.Unknown => "Message Outcome Unknown: Retry Allowed",
            DeliveryStates.Failed => "Message Failed",
            DeliveryStates.Received => "Inbound Message Received",
            _ => message.DeliveryState,
        };
        return message.FailureReason is null ? words : $"{words} ({message.FailureReason})";
    }
}
