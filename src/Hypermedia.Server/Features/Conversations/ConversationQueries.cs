using System.Linq.Expressions;
using Hypermedia.Querying;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Collections;

namespace Hypermedia.Server.Features.Conversations;

/// <summary>One user's read and star flags, as a conversation document needs them; null flags: the user has no state row.</summary>
public sealed record UserStateView(bool? Read, DateTimeOffset? ReadToTimelinePosition, bool? Starred);

/// <summary>The assigned contact's slug and name, for its embedded reference.</summary>
public sealed record ContactNameView(string Slug, string Name);

/// <summary>A conversation with everything its document shows, read in one statement for one user.</summary>
public sealed record ConversationView(
    Conversation Conversation, string AccountSlug, UserStateView UserState, bool Assigned, ContactNameView? AssignedContact, MessageView? Latest);

/// <summary>An assignment with the slugs and name its document shows.</summary>
public sealed record AssignmentView(ConversationAssignment Assignment, string ConversationSlug, string AssigneeSlug, string AssigneeName, string? AssignerSlug);

/// <summary>How conversations, timelines and assignments are read, filtered and ordered.</summary>
public static class ConversationQueries
{
    /// <summary>The Conversation document's members that clients may filter and order by.</summary>
    public static readonly QueryModel<Conversation> Model = QueryModel.Create<Conversation, ConversationRow>("Conversation", c => new ConversationRow
    {
        Entity = c,
        Slug = c.Slug,
        CurrentState = c.State,
        Blocked = c.State == Conversation.Blocked,
        PhoneNumber = c.PhoneNumber,
        AccountPhoneNumber = c.AccountPhoneNumber,
    });

    /// <summary>Newest activity first, on the (account, latest activity, id) index.</summary>
    public static readonly KeysetOrder<Conversation> NewestActivity = KeysetOrder<Conversation>.By(c => c.LatestActivityAt, c => c.Id, descending: true);

    public static readonly QueryModel<Message> TimelineModel = QueryModel.Create<Message, TimelineRow>("Message", m => new TimelineRow
    {
        Entity = m,
        Direction = m.Direction,
        Body = m.Body,
        DeliveryState = m.DeliveryState,
        TimelinePosition = m.TimelinePosition,
        Source = m.Source,
        Channel = m.Channel,
    });

    /// <summary>Newest first, on the (conversation, timeline position, id) index: page 1,000 costs what page 1 costs.</summary>
    public static readonly KeysetOrder<Message> NewestFirst = KeysetOrder<Message>.By(m => m.TimelinePosition, m => m.Id, descending: true);

    public static readonly QueryModel<ConversationAssignment> AssignmentModel = QueryModel.Create<ConversationAssignment, AssignmentRow>(
        "ConversationAssignment", a => new AssignmentRow { Entity = a, CreatedAt = a.CreatedAt });

    /// <summary>Oldest assignment first: the order people were assigned in.</summary>
    public static readonly KeysetOrder<ConversationAssignment> AssignedFirst = KeysetOrder<ConversationAssignment>.By(a => a.CreatedAt, a => a.Id);

    public static readonly Expression<Func<ConversationAssignment, AssignmentView>> Assignment =
        a => new AssignmentView(a, a.Conversation!.Slug, a.Assignee!.Slug, a.Assignee.Name, a.Assigner == null ? null : a.Assigner.Slug);

    /// <summary>Conversations of every account the caller belongs to; another account's is not there (404).</summary>
    public static IQueryable<Conversation> Visible(HypermediaDbContext db, long callerId) =>
        db.Conversations.Where(c => db.Set<Membership>().Any(m => m.UserId == callerId && m.AccountId == c.AccountId));

    /// <summary>
    /// A conversation as its document needs it for <paramref name="callerId"/>: the caller's flags and
    /// assignment, the assigned contact's name and the newest message are subqueries of the same statement.
    /// The caller is captured, so it travels as a parameter and every caller shares one compiled query.
    /// </summary>
    public static Expression<Func<Conversation, ConversationView>> Document(HypermediaDbContext db, long callerId) =>
        c => new ConversationView(
            c,
            c.Account!.Slug,
            // Three lookups on the state's primary key: a row subquery would be joined through ROW_NUMBER over all the user's states.
            new UserStateView(
                db.Set<ConversationUserState>().Where(s => s.ConversationId == c.Id && s.UserId == callerId).Select(s => (bool?)s.Read).FirstOrDefault(),
                db.Set<ConversationUserState>().Where(s => s.ConversationId == c.Id && s.UserId == callerId).Select(s => s.ReadToTimelinePosition).FirstOrDefault(),
                db.Set<ConversationUserState>().Where(s => s.ConversationId == c.Id && s.UserId == callerId).Select(s => (bool?)s.Starred).FirstOrDefault()),
            db.Set<ConversationAssignment>().Any(a => a.ConversationId == c.Id && a.AssigneeId == callerId),
            c.AssignedContact == null ? null : new ContactNameView(c.AssignedContact.Slug, c.AssignedContact.Name),
            db.Set<Message>().Where(m => m.ConversationId == c.Id)
                .OrderByDescending(m => m.TimelinePosition).ThenByDescending(m => m.Id)
                .Select(m => new MessageView(m, c.Slug, m.Sender == null ? null : m.Sender.Slug, m.BulkSend == null ? null : m.BulkSend.Slug,
                    m.WhatsAppTemplate == null
                        ? null
                        : new WhatsApp.WhatsAppTemplateView(m.WhatsAppTemplate, c.Account!.Slug, m.WhatsAppTemplate.CreatedBy == null ? null : m.WhatsAppTemplate.CreatedBy.Slug)))
                .FirstOrDefault());

    private sealed class ConversationRow : QueryRow<Conversation>
    {
        public required string Slug { get; init; }

        public required string CurrentState { get; init; }

        public required bool Blocked { get; init; }

        public required string PhoneNumber { get; init; }

        public required string AccountPhoneNumber { get; init; }
    }

    private sealed class TimelineRow : QueryRow<Message>
    {
        public required string Direction { get; init; }

        public required string Body { get; init; }

        public required string DeliveryState { get; init; }

        public required DateTimeOffset TimelinePosition { get; init; }

        public required string Source { get; init; }

        public required string Channel { get; init; }
    }

    private sealed class AssignmentRow : QueryRow<ConversationAssignment>
    {
        public required DateTimeOffset CreatedAt { get; init; }
    }
}
