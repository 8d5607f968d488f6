using System.ComponentModel;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Phone = Hypermedia.Server.Platform.Phones.PhoneNumber;

namespace Hypermedia.Server.Features.Conversations;

[HydraClass("Conversation", "Everything an account and one outside number said to each other, and what users do with it.")]
public sealed class ConversationResource() : Resource("Conversation")
{
    [Description("Short identifier, the last segment of the IRI")]
    public required string Slug { get; init; }

    [Description("open, closed or blocked")]
    public required string CurrentState { get; init; }

    [Description("True while blocked: the number's texts are not wanted")]
    public required bool Blocked { get; init; }

    [Description("The account the conversation belongs to")]
    public required string Account { get; init; }

    [Description("The outside party's number, E.164")]
    public required string PhoneNumber { get; init; }

    [Description("The outside party's number formatted for people")]
    public required string FormattedPhoneNumber { get; init; }

    [Description("The account's number the latest message used, E.164")]
    public required string AccountPhoneNumber { get; init; }

    [Description("The account's number formatted for people")]
    public required string FormattedAccountPhoneNumber { get; init; }

    [Description("Your view of the conversation: read, starred, assigned to you")]
    public required ConversationUserInfoResource RequestingUserInfo { get; init; }

    [Description("The contact picked for the number when several share it, or null")]
    public required ContactReference? AssignedContact { get; init; }

    [Description("The account's contacts that have this number")]
    public required string AssociatedContacts { get; init; }

    [Description("The users assigned to the conversation")]
    public required string Assignments { get; init; }

    [Description("The newest message, or null")]
    public required MessageResource? LatestPreviewableItem { get; init; }

    [Description("The conversation's messages, newest first")]
    public required string Timeline { get; init; }

    [Description("PUT a contact's IRI here to pick the conversation's contact")]
    public required string AssignContact { get; init; }

    [Description("PUT to mark read for you; null while read")]
    public required string? ReadConversation { get; init; }

    [Description("DELETE to mark unread for you; null while unread")]
    public required string? UnreadConversation { get; init; }

    [Description("PUT to star for you; null while starred")]
    public required string? StarConversation { get; init; }

    [Description("DELETE to unstar for you; null unless starred")]
    public required string? UnstarConversation { get; init; }

    [Description("PUT to close; null unless open")]
    public required string? CloseConversation { get; init; }

    [Description("PUT to reopen; null unless closed")]
    public required string? ReopenConversation { get; init; }

    [Description("PUT to block the number; null while blocked")]
    public required string? BlockConversation { get; init; }

    [Description("DELETE to unblock the number; null unless blocked")]
    public required string? UnblockConversation { get; init; }

    public static ConversationResource From(ConversationView view, Iris iris)
    {
        var conversation = view.Conversation;
        var id = new { id = conversation.Slug };
        var userInfo = ConversationUserInfoResource.From(view, iris);
        var readIri = iris.For(ConversationsApi.ConversationReadRoute, id);
        var starIri = iris.For(ConversationsApi.ConversationStarRoute, id);
        var blockIri = iris.For(ConversationsApi.ConversationBlockRoute, id);
        var state = conversation.State;
        return new ConversationResource
        {
            Id = iris.For(ConversationsApi.ConversationRoute, id),
            Slug = conversation.Slug,
            CurrentState = state,
            Blocked = state == Conversation.Blocked,
            Account = iris.For(AccountsApi.AccountRoute, new { account = view.AccountSlug }),
            PhoneNumber = conversation.PhoneNumber,
            FormattedPhoneNumber = Phone.FromE164(conversation.PhoneNumber).Formatted,
            AccountPhoneNumber = conversation.AccountPhoneNumber,
            FormattedAccountPhoneNumber = Phone.FromE164(conversation.AccountPhoneNumber).Formatted,
            RequestingUserInfo = userInfo,
            AssignedContact = view.AssignedContact is { } contact ? ContactReference.From(contact.Slug, contact.Name, iris) : null,
            AssociatedContacts = iris.For(ConversationsApi.AssociatedContactsRoute, id),
            Assignments = iris.For(ConversationsApi.ConversationAssignmentsRoute, id),
            LatestPreviewableItem = view.Latest is { } latest ? MessageResource.Of(latest, iris) : null,
            Timeline = iris.For(ConversationsApi.TimelineRoute, id),
            AssignContact = iris.For(ConversationsApi.AssignContactRoute, id),
            ReadConversation = userInfo.Read ? null : readIri,
            UnreadConversation = userInfo.Read ? readIri : null,
            StarConversation = userInfo.Starred ? null : starIri,
            UnstarConversation = userInfo.Starred ? starIri : null,
            CloseConversation = state == Conversation.Open ? iris.For(ConversationsApi.ConversationCloseRoute, id) : null,
            ReopenConversation = state == Conversation.Closed ? iris.For(ConversationsApi.ConversationReopenRoute, id) : null,
            BlockConversation = state == Conversation.Blocked ? null : blockIri,
            UnblockConversation = state == Conversation.Blocked ? blockIri : null,
        };
    }
}

[HydraClass("Conversation user info", "One user's view of a conversation: read, starred, assigned. Each user has their own.")]
public sealed class ConversationUserInfoResource() : Resource("ConversationUserInfo")
{
    [Description("Whether you have read the conversation (per user)")]
    public required bool Read { get; init; }

    [Description("The timeline position you last read to, or null")]
    public required DateTimeOffset? ReadToTimelinePosition { get; init; }

    [Description("Whether you starred the conversation (per user)")]
    public required bool Starred { get; init; }

    [Description("Whether you are assigned to the conversation")]
    public required bool Assigned { get; init; }

    public static ConversationUserInfoResource From(ConversationView view, Iris iris) => new()
    {
        Id = iris.For(ConversationsApi.UserInfoRoute, new { id = view.Conversation.Slug }),
        // No row: never touched by this user, so read until the outside party writes.
        Read = view.UserState.Read ?? view.Conversation.LatestInboundAt is null,
        ReadToTimelinePosition = view.UserState.ReadToTimelinePosition,
        Starred = view.UserState.Starred ?? false,
        Assigned = view.Assigned,
    };
}

/// <summary>A conversation's messages, newest first, paged by keyset like any collection.</summary>
[HydraClass("Timeline", "A conversation's messages in descending time order.")]
public sealed class TimelineResource() : Resource("Timeline")
{
    [Description("The newest message's timeline position")]
    public required DateTimeOffset LatestPosition { get; init; }

    [Description("How many messages the conversation holds (or match $filter)")]
    public required long TotalItems { get; init; }

    [Description("This page's messages, newest first")]
    public required IReadOnlyList<MessageResource> Members { get; init; }

    [Description("Links to the first, next and previous pages")]
    public required PartialCollectionView View { get; init; }

    public static TimelineResource From(HydraCollection<MessageResource> page, DateTimeOffset latestPosition) => new()
    {
        Id = page.Id,
        LatestPosition = latestPosition,
        TotalItems = page.TotalItems,
        Members = page.Members,
        View = page.View,
    };
}

[HydraClass("Conversation assignment", "A user assigned to a conversation.")]
public sealed class ConversationAssignmentResource() : Resource("ConversationAssignment")
{
    [Description("The assigned user")]
    public required UserReference Assignee { get; init; }

    [Description("Who assigned them, or null")]
    public required string? Assigner { get; init; }

    [Description("The conversation")]
    public required string Conversation { get; init; }

    [Description("When they were assigned")]
    public required DateTimeOffset CreatedAt { get; init; }

    public static ConversationAssignmentResource From(AssignmentView view, Iris iris) => new()
    {
        Id = iris.For(ConversationsApi.AssignmentRoute, new { id = view.Assignment.Slug }),
        Assignee = new UserReference { Id = iris.For(UsersApi.UserRoute, new { id = view.AssigneeSlug }), Name = view.AssigneeName },
        Assigner = view.AssignerSlug is null ? null : iris.For(UsersApi.UserRoute, new { id = view.AssignerSlug }),
        Conversation = iris.For(ConversationsApi.ConversationRoute, new { id = view.ConversationSlug }),
        CreatedAt = view.Assignment.CreatedAt,
    };
}
