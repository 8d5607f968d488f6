using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;
using PhoneNumber = Hypermedia.Server.Platform.Phones.PhoneNumber;

namespace Hypermedia.Server.Features.Conversations;

/// <summary>
/// Conversations: one per account and outside number, their timelines and what users do with them.
/// Any member of the conversation's account may read and act on it; read and star are each user's own.
/// For anyone else every conversation and assignment IRI is a 404. Every action answers 200 with the
/// conversation and is idempotent (its outcome already holding is not an error); closing or reopening a
/// blocked conversation is a 409 (unblock it instead).
/// </summary>
public sealed class ConversationsApi : IApiArea
{
    public const string AccountConversationsRoute = "accountConversations";
    public const string AccountConversationRoute = "accountConversation";
    public const string ConversationRoute = "conversation";
    public const string UserInfoRoute = "conversationUserInfo";
    public const string TimelineRoute = "conversationTimeline";
    public const string ConversationReadRoute = "conversationRead";
    public const string ConversationStarRoute = "conversationStar";
    public const string ConversationCloseRoute = "conversationClose";
    public const string ConversationReopenRoute = "conversationReopen";
    public const string ConversationBlockRoute = "conversationBlock";
    public const string ConversationAssignmentsRoute = "conversationAssignments";
    public const string AssignmentRoute = "assignment";
    public const string AssignContactRoute = "conversationAssignContact";
    public const string AssociatedContactsRoute = "conversationAssociatedContacts";
    public const string ContactConversationsRoute = "contactConversations";

    public IEnumerable<AccountLink> AccountLinks =>
        [new("conversations", "vocab:conversations", "The account's conversations, newest activity first", AccountConversationsRoute)];

    public void MapRoutes(AreaRoutes routes)
    {
        var account = routes.Account;
        var api = routes.Authenticated;
        account.MapGet("/conversations", List).WithName(AccountConversationsRoute)
            .Documented("Account.conversations", "List the account's conversations, newest activity first")
            .Produces<HydraCollection<ConversationResource>>().ProducesProblems(404);
        account.MapGet("/conversations/{phone}", GetByNumber).WithName(AccountConversationRoute)
            .Documented("Conversation", "Get the account's conversation with a phone number (422 when it is not a phone number)")
            .Produces<ConversationResource>().ProducesProblems(404, 422);
        api.MapGet("/conversations/{id}", Get).WithName(ConversationRoute)
            .Documented("Conversation", "Get a conversation")
            .Produces<ConversationResource>().ProducesProblems(404);
        api.MapGet("/conversations/{id}/user_info", GetUserInfo).WithName(UserInfoRoute)
            .Documented("ConversationUserInfo", "Get your view of a conversation (read, starred, assigned)")
            .Produces<ConversationUserInfoResource>().ProducesProblems(404);
        api.MapGet("/conversations/{id}/timeline", Timeline).WithName(TimelineRoute)
            .Documented("Conversation.timeline", "List the conversation's messages, newest first, by keyset pages")
            .Produces<TimelineResource>().ProducesProblems(400, 404);
        api.MapPut("/conversations/{id}/read", Read).WithName(ConversationReadRoute)
            .Documented("Conversation.readConversation", "Mark the conversation read for you only, up to its latest message")
            .Produces<ConversationResource>().ProducesProblems(404);
        api.MapDelete("/conversations/{id}/read", Unread)
            .Documented("Conversation.unreadConversation", "Mark the conversation unread for you only")
            .Produces<ConversationResource>().ProducesProblems(404);
        api.MapPut("/conversations/{id}/star", Star).WithName(ConversationStarRoute)
            .Documented("Conversation.starConversation", "Star the conversation for you only")
            .Produces<ConversationResource>().ProducesProblems(404);
        api.MapDelete("/conversations/{id}/star", Unstar)
            .Documented("Conversation.unstarConversation", "Unstar the conversation for you only")
            .Produces<ConversationResource>().ProducesProblems(404);
        api.MapPut("/conversations/{id}/close", Close).WithName(ConversationCloseRoute)
            .Documented("Conversation.closeConversation", "Close the conversation (409 while blocked)")
            .Produces<ConversationResource>().ProducesProblems(404, 409);
        api.MapPut("/conversations/{id}/reopen", Reopen).WithName(ConversationReopenRoute)
            .Documented("Conversation.reopenConversation", "Reopen the conversation (409 while blocked)")
            .Produces<ConversationResource>().ProducesProblems(404, 409);
        api.MapPut("/conversations/{id}/block", Block).WithName(ConversationBlockRoute)
            .Documented("Conversation.blockConversation", "Block the conversation and the account's contacts with its number")
            .Produces<ConversationResource>().ProducesProblems(404);
        api.MapDelete("/conversations/{id}/block", Unblock)
            .Documented("Conversation.unblockConversation", "Unblock the conversation (it reopens) and the account's contacts with its number")
            .Produces<ConversationResource>().ProducesProblems(404);
        api.MapPut("/conversations/{id}/assign_contact", AssignContact).WithName(AssignContactRoute)
            .Documented("Conversation.assignContact", "Pick the conversation's contact among those with its number")
            .AcceptsBody<AssignContactRequest>().Produces<ConversationResource>().ProducesProblems(404);
        api.MapGet("/conversations/{id}/associated_contacts", AssociatedContacts).WithName(AssociatedContactsRoute)
            .Documented("Conversation.associatedContacts", "List the account's contacts that have the conversation's number, alphabetically")
            .Produces<HydraCollection<ContactResource>>().ProducesProblems(404);
        api.MapGet("/conversations/{id}/assignments", ListAssignments).WithName(ConversationAssignmentsRoute)
            .Documented("Conversation.assignments", "List the users assigned to the conversation, in the order they were assigned")
            .Produces<HydraCollection<ConversationAssignmentResource>>().ProducesProblems(404);
        api.MapPost("/conversations/{id}/assignments", Assign)
            .Documented("Conversation.assignments", "Assign a member of the conversation's account (200; the same assignment when already assigned)")
            .AcceptsBody<AssignmentRequest>().Produces<ConversationAssignmentResource>().ProducesProblems(404);
        api.MapGet("/assignments/{id}", GetAssignment).WithName(AssignmentRoute)
            .Documented("ConversationAssignment", "Get an assignment")
            .Produces<ConversationAssignmentResource>().ProducesProblems(404);
        api.MapDelete("/assignments/{id}", Unassign)
            .Documented("ConversationAssignment", "Remove an assignment (200 with the assignment removed)")
            .Produces<ConversationAssignmentResource>().ProducesProblems(404);
        api.MapGet("/contacts/{id}/conversations", ContactConversations).WithName(ContactConversationsRoute)
            .Documented("Contact.conversations", "List the conversations of the contact's numbers in every account you belong to, newest activity first")
            .Produces<HydraCollection<ConversationResource>>().ProducesProblems(404);
    }

    /// <summary>The key, account and number of a conversation the caller may see; 404 otherwise.</summary>
    private sealed record ConversationKey(long Id, long AccountId, string PhoneNumber);

    private static async Task<ConversationKey> FindAsync(string id, HypermediaDbContext db, AccountAccess access, CancellationToken cancellationToken) =>
        await ConversationQueries.Visible(db, access.CallerId).Where(c => c.Slug == id)
            .Select(c => new ConversationKey(c.Id, c.AccountId, c.PhoneNumber)).SingleOrDefaultAsync(cancellationToken)
        ?? throw ApiException.NotFound("conversation");

    /// <summary>The conversation's document for the caller, read after a write.</summary>
    private static async Task<IResult> DocumentAsync(long conversationId, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var view = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId)
            .Select(ConversationQueries.Document(db, access.CallerId)).SingleAsync(cancellationToken);
        return ApiResults.Ok(ConversationResource.From(view, iris));
    }

    private static async Task<IResult> List(AccountMember member, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var accountId = member.Account.Id;
        return ApiResults.Ok(await db.Conversations.Where(c => c.AccountId == accountId)
            .PageAsync(request, ConversationQueries.Model, ConversationQueries.NewestActivity,
                ConversationQueries.Document(db, access.CallerId), v => v.Conversation, v => ConversationResource.From(v, iris)));
    }

    private static async Task<IResult> GetByNumber(AccountMember member, string phone, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var number = PhoneNumber.TryParse(phone, out var parsed, out var error) ? parsed.E164 : throw ApiException.Invalid("phone", error);
        var accountId = member.Account.Id;
        var view = await db.Conversations.AsNoTracking().Where(c => c.AccountId == accountId && c.PhoneNumber == number)
            .Select(ConversationQueries.Document(db, access.CallerId)).SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("conversation");
        return ApiResults.Ok(ConversationResource.From(view, iris));
    }

    private static async Task<IResult> Get(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken) =>
        ApiResults.Ok(ConversationResource.From(await FindViewAsync(id, db, access, cancellationToken), iris));

    private static async Task<IResult> GetUserInfo(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken) =>
        ApiResults.Ok(ConversationUserInfoResource.From(await FindViewAsync(id, db, access, cancellationToken), iris));

    private static async Task<ConversationView> FindViewAsync(string id, HypermediaDbContext db, AccountAccess access, CancellationToken cancellationToken) =>
        await ConversationQueries.Visible(db, access.CallerId).AsNoTracking().Where(c => c.Slug == id)
            .Select(ConversationQueries.Document(db, access.CallerId)).SingleOrDefaultAsync(cancellationToken)
        ?? throw ApiException.NotFound("conversation");

    /// <summary>
    /// The total is the count kept on the conversation and the page a range on (conversation, position, id):
    /// no COUNT and no OFFSET, so page 1,000 costs what page 1 costs. $filter counts what it matches;
    /// $orderby and $skip page by offset, as on every collection.
    /// </summary>
    private static async Task<IResult> Timeline(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var conversation = await ConversationQueries.Visible(db, access.CallerId).Where(c => c.Slug == id)
            .Select(c => new { c.Id, c.MessageCount, c.LatestActivityAt }).SingleOrDefaultAsync(request.HttpContext.RequestAborted)
            ?? throw ApiException.NotFound("conversation");
        var conversationId = conversation.Id;
        var page = await db.Messages.Where(m => m.ConversationId == conversationId)
            .PageAsync(request, ConversationQueries.TimelineModel, ConversationQueries.NewestFirst,
                MessageView.Projection, v => v.Message, v => MessageResource.Of(v, iris), knownTotal: conversation.MessageCount);
        return ApiResults.Ok(TimelineResource.From(page, conversation.LatestActivityAt));
    }

    private static async Task<IResult> Read(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var conversation = await FindAsync(id, db, access, cancellationToken);
        var userId = access.CallerId;
        // FOR SHARE waits for a message being recorded, so "read" covers it and the ledger's unread cannot land after.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO conversation_user_states (conversation_id, user_id, read, read_to_timeline_position, starred)
            SELECT id, {userId}, TRUE, latest_activity_at, FALSE FROM conversations WHERE id = {conversation.Id} FOR SHARE
            ON CONFLICT (conversation_id, user_id) DO UPDATE SET read = TRUE, read_to_timeline_position = excluded.read_to_timeline_position
            """, cancellationToken);
        return await DocumentAsync(conversation.Id, db, access, iris, cancellationToken);
    }

    private static async Task<IResult> Unread(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var conversation = await FindAsync(id, db, access, cancellationToken);
        var userId = access.CallerId;
        // The position read to stays: it still says how far the user had read.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO conversation_user_states (conversation_id, user_id, read, read_to_timeline_position, starred)
            VALUES ({conversation.Id}, {userId}, FALSE, NULL, FALSE)
            ON CONFLICT (conversation_id, user_id) DO UPDATE SET read = FALSE
            """, cancellationToken);
        return await DocumentAsync(conversation.Id, db, access, iris, cancellationToken);
    }

    private static Task<IResult> Star(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken) =>
        SetStarredAsync(id, true, db, access, iris, cancellationToken);

    private static Task<IResult> Unstar(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken) =>
        SetStarredAsync(id, false, db, access, iris, cancellationToken);

    private static async Task<IResult> SetStarredAsync(string id, bool starred, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var conversation = await FindAsync(id, db, access, cancellationToken);
        var userId = access.CallerId;
        // A first row starts read exactly when having no row meant read (nobody outside has written yet).
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO conversation_user_states (conversation_id, user_id, read, read_to_timeline_position, starred)
            SELECT id, {userId}, latest_inbound_at IS NULL, NULL, {starred} FROM conversations WHERE id = {conversation.Id}
            ON CONFLICT (conversation_id, user_id) DO UPDATE SET starred = excluded.starred
            """, cancellationToken);
        return await DocumentAsync(conversation.Id, db, access, iris, cancellationToken);
    }

    private static Task<IResult> Close(string id, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeStateAsync(id, Conversation.Closed, db, access, iris, clock, cancellationToken);

    private static Task<IResult> Reopen(string id, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeStateAsync(id, Conversation.Open, db, access, iris, clock, cancellationToken);

    private static Task<IResult> Block(string id, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeStateAsync(id, Conversation.Blocked, db, access, iris, clock, cancellationToken);

    /// <summary>Unblocking returns the conversation to the open list (R11).</summary>
    private static Task<IResult> Unblock(string id, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeStateAsync(id, Conversation.Open, db, access, iris, clock, cancellationToken, unblocking: true);

    /// <summary>
    /// Moves the conversation to <paramref name="target"/> under its row lock, so state changes on one
    /// conversation take turns and block/unblock leave its contacts as the conversation ends. Reaching a
    /// state that already holds changes nothing (200). Close and reopen leave a blocked conversation alone
    /// (409: it is unblocked, not reopened); unblock leaves a conversation that is not blocked alone.
    /// </summary>
    private static async Task<IResult> ChangeStateAsync(string id, string target, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock,
        CancellationToken cancellationToken, bool unblocking = false)
    {
        var conversation = await FindAsync(id, db, access, cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.TryLockRowAsync<Conversation>(conversation.Id, RowLock.ForNoKeyUpdate, cancellationToken);
            var current = await db.Conversations.Where(c => c.Id == conversation.Id).Select(c => c.State).SingleAsync(cancellationToken);
            var blocking = target == Conversation.Blocked;
            if (current == Conversation.Blocked && !blocking && !unblocking)
            {
                throw ApiException.Conflict("The conversation is blocked: unblock it (DELETE its block) to reopen it.");
            }

            var next = unblocking && current != Conversation.Blocked ? current : target;
            if (next != current)
            {
                await db.Conversations.Where(c => c.Id == conversation.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.State, next), cancellationToken);
            }

            if (blocking || (unblocking && current == Conversation.Blocked))
            {
                await SetContactsBlockedAsync(db, conversation, blocking, clock.GetUtcNow(), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return await DocumentAsync(conversation.Id, db, access, iris, cancellationToken);
    }

    /// <summary>Blocks (keeping an earlier block's time) or unblocks the account's contacts that have the conversation's number (R11).</summary>
    private static Task<int> SetContactsBlockedAsync(HypermediaDbContext db, ConversationKey conversation, bool blocked, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (accountId, number) = (conversation.AccountId, conversation.PhoneNumber);
        var contacts = db.Contacts.Where(c => c.AccountId == accountId && c.Phones.Any(p => p.PhoneNumber == number));
        return blocked
            ? contacts.Where(c => c.BlockedAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.BlockedAt, now).SetProperty(c => c.UpdatedAt, now), cancellationToken)
            : contacts.Where(c => c.BlockedAt != null).ExecuteUpdateAsync(s => s.SetProperty(c => c.BlockedAt, (DateTimeOffset?)null).SetProperty(c => c.UpdatedAt, now), cancellationToken);
    }

    private static async Task<IResult> AssignContact(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var conversation = await FindAsync(id, db, access, cancellationToken);
        var body = await RequestBody.ReadAsync<AssignContactRequest>(request);
        var (accountId, number) = (conversation.AccountId, conversation.PhoneNumber);
        var contactSlug = iris.Match(body.AssignedContact, ContactsApi.ContactRoute, "id");
        var contactId = contactSlug is null ? null : await db.Contacts
            .Where(c => c.Slug == contactSlug && c.AccountId == accountId && c.Phones.Any(p => p.PhoneNumber == number))
            .Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
        const string Rule = "must be the IRI of a contact of the conversation's account that has the conversation's number";
        if (contactId is null)
        {
            throw ApiException.Invalid("assignedContact", Rule);
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // A key-share lock keeps the contact from being deleted before the reference to it commits.
            if (!await db.TryLockRowAsync<Contact>(contactId.Value, RowLock.ForKeyShare, cancellationToken))
            {
                throw ApiException.Invalid("assignedContact", Rule);
            }

            await db.Conversations.Where(c => c.Id == conversation.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.AssignedContactId, contactId), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return await DocumentAsync(conversation.Id, db, access, iris, cancellationToken);
    }

    private static async Task<IResult> AssociatedContacts(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var conversation = await FindAsync(id, db, access, request.HttpContext.RequestAborted);
        var (accountId, number) = (conversation.AccountId, conversation.PhoneNumber);
        return ApiResults.Ok(await db.Contacts.Where(c => c.AccountId == accountId && c.Phones.Any(p => p.PhoneNumber == number))
            .PageDocumentsAsync(request, db, iris));
    }

    private static async Task<IResult> ListAssignments(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var conversation = await FindAsync(id, db, access, request.HttpContext.RequestAborted);
        var conversationId = conversation.Id;
        return ApiResults.Ok(await db.ConversationAssignments.Where(a => a.ConversationId == conversationId)
            .PageAsync(request, ConversationQueries.AssignmentModel, ConversationQueries.AssignedFirst,
                ConversationQueries.Assignment, v => v.Assignment, v => ConversationAssignmentResource.From(v, iris)));
    }

    /// <summary>
    /// Idempotent: the unique (conversation, assignee) index decides between concurrent requests, and every
    /// one of them answers 200 with the one assignment. Only a member of the conversation's account (not
    /// discarded) may be assigned.
    /// </summary>
    private static async Task<IResult> Assign(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var conversation = await FindAsync(id, db, access, cancellationToken);
        var body = await RequestBody.ReadAsync<AssignmentRequest>(request);
        var userSlug = iris.Match(body.Assignee, UsersApi.UserRoute, "id");
        var accountId = conversation.AccountId;
        var assigneeId = userSlug is null ? null : await db.Memberships
            .Where(m => m.AccountId == accountId && m.User!.Slug == userSlug && m.User.DiscardedAt == null)
            .Select(m => (long?)m.UserId).FirstOrDefaultAsync(cancellationToken);
        if (assigneeId is null)
        {
            throw ApiException.Invalid("assignee", "must be the IRI of a user who is a member of the conversation's account");
        }

        var (conversationId, assignerId) = (conversation.Id, access.CallerId);
        // An assignment removed between the insert and the read is made again: a few rounds settle any race.
        for (var attempt = 0; ; attempt++)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO conversation_assignments (slug, conversation_id, assignee_id, assigner_id, created_at)
                VALUES ({Slugs.New()}, {conversationId}, {assigneeId}, {assignerId}, {clock.GetUtcNow()})
                ON CONFLICT (conversation_id, assignee_id) DO NOTHING
                """, cancellationToken);
            var view = await db.ConversationAssignments.AsNoTracking().Where(a => a.ConversationId == conversationId && a.AssigneeId == assigneeId)
                .Select(ConversationQueries.Assignment).SingleOrDefaultAsync(cancellationToken);
            if (view is not null)
            {
                return ApiResults.Ok(ConversationAssignmentResource.From(view, iris));
            }

            if (attempt == 3)
            {
                throw ApiException.Conflict("The assignment was removed while it was being made; try again.");
            }
        }
    }

    private static IQueryable<ConversationAssignment> VisibleAssignments(HypermediaDbContext db, AccountAccess access, string id)
    {
        var callerId = access.CallerId;
        return db.ConversationAssignments.AsNoTracking()
            .Where(a => a.Slug == id && db.Set<Membership>().Any(m => m.UserId == callerId && m.AccountId == a.Conversation!.AccountId));
    }

    private static async Task<IResult> GetAssignment(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var view = await VisibleAssignments(db, access, id).Select(ConversationQueries.Assignment).SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("assignment");
        return ApiResults.Ok(ConversationAssignmentResource.From(view, iris));
    }

    /// <summary>Of two concurrent removals one deletes the row and answers 200; the other finds nothing to delete (404).</summary>
    private static async Task<IResult> Unassign(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var view = await VisibleAssignments(db, access, id).Select(ConversationQueries.Assignment).SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("assignment");
        var assignmentId = view.Assignment.Id;
        if (await db.ConversationAssignments.Where(a => a.Id == assignmentId).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw ApiException.NotFound("assignment");
        }

        return ApiResults.Ok(ConversationAssignmentResource.From(view, iris));
    }

    private static async Task<IResult> ContactConversations(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var accounts = access.MemberAccountIds();
        var contactId = await db.Contacts.Where(c => c.Slug == id && accounts.Contains(c.AccountId)).Select(c => (long?)c.Id)
            .SingleOrDefaultAsync(request.HttpContext.RequestAborted)
            ?? throw ApiException.NotFound("contact");
        var conversations = ConversationQueries.Visible(db, access.CallerId)
            .Where(c => db.Set<ContactPhone>().Any(p => p.ContactId == contactId && p.PhoneNumber == c.PhoneNumber));
        return ApiResults.Ok(await conversations
            .PageAsync(request, ConversationQueries.Model, ConversationQueries.NewestActivity,
                ConversationQueries.Document(db, access.CallerId), v => v.Conversation, v => ConversationResource.From(v, iris)));
    }
}
