using Hangfire;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Attachments;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Platform.Phones;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// Messages: sending one (from an account, or letting the server pick the account), reading one, and
/// retrying one whose outcome was a temporary failure or unknown. Any member of the account may do each.
/// </summary>
public sealed partial class MessagesApi : IApiArea
{
    public const string MessageRoute = "message";
    public const string AccountMessagesRoute = "accountMessages";
    public const string MessageAttachmentsRoute = "messageAttachments";
    public const string MessageRetryRoute = "messageRetry";
    public const string AccountScheduleRoute = "accountMessagesSchedule";

    public IEnumerable<AccountLink> AccountLinks =>
        [
            new("messages", "vocab:messages", "Send a message from this account", AccountMessagesRoute),
            new("scheduleMessages", "vocab:scheduleMessages", "Schedule a message from this account", AccountScheduleRoute),
        ];

    public void AddServices(IServiceCollection services)
    {
        services.AddScoped<MessageSending>();
        services.AddScoped<BodyPersonalization>();
        services.AddScoped<MessageComposition>();
        services.AddScoped<MessageDispatch>();
        services.AddScoped<Sender>();
        services.AddHostedService<QueuedMessageSweepSchedule>();
    }

    public void MapRoutes(AreaRoutes routes)
    {
        routes.Account.MapPost("/messages", SendFromAccount).WithName(AccountMessagesRoute)
            .Documented("Account.messages", "Send a message: to one number, 201 with the message, queued (a job hands it to the carrier); to several (an array of up to 10,000), 202 with the BulkSend that fans it out")
            .AcceptsBody<SendMessageRequest>().Produces<MessageResource>(201).Produces(202).ProducesProblems(404);
        routes.Account.MapPost("/messages/schedule", Schedule).WithName(AccountScheduleRoute)
            .Documented("Account.scheduleMessages", "Schedule a message for scheduled_at: to one number, 201 with the message, scheduled; to several, 202 with a scheduled BulkSend")
            .AcceptsBody<ScheduleMessageRequest>().Produces<MessageResource>(201).Produces(202).ProducesProblems(404);

        var api = routes.Authenticated;
        api.MapPost("/messages", SendWithoutAccount)
            .Documented("Message", "Send a message without naming the account: from (a number of one of your accounts) or email (a user: the account of their latest conversation with the recipient, else their first account that has a number)")
            .AcceptsBody<SendWithoutAccountRequest>().Produces<MessageResource>(201).Produces(202);
        api.MapGet("/messages/{id}", Get).WithName(MessageRoute)
            .Documented("Message", "Get a message")
            .Produces<MessageResource>().ProducesProblems(404);
        api.MapDelete("/messages/{id}", Delete)
            .Documented("Message", "Cancel a scheduled message (204); 409 once it is no longer scheduled")
            .Produces(204).ProducesProblems(404, 409);
        api.MapGet("/messages/{id}/attachments", Attachments).WithName(MessageAttachmentsRoute)
            .Documented("Message.attachments", "List the message's attachments")
            .Produces<HydraCollection<AttachmentResource>>().ProducesProblems(404);
        api.MapPost("/messages/{id}/retry", Retry).WithName(MessageRetryRoute)
            .Documented("Message.retry", "Retry a message whose delivery state is failed_transient or unknown (202); 422 from any other state")
            .Produces(202).ProducesProblems(404, 422);
    }

    /// <summary>Messages of the caller's accounts; another account's message is not there (404).</summary>
    public static IQueryable<Message> Visible(HypermediaDbContext db, AccountAccess access)
    {
        var accounts = access.MemberAccountIds();
        return db.Messages.Where(m => accounts.Contains(m.AccountId));
    }

    private static async Task<IResult> SendFromAccount(AccountMember member, HttpRequest request, Sender sender)
    {
        var body = await RequestBody.ReadAsync<SendMessageRequest>(request);
        var validator = new Validator();
        var to = MessageSending.Recipients(validator, body.To);
        var content = MessageContent.Read(validator, body.Body, body.Attachments, body.SavedReply, body.Channel, body.Template);
        var from = MessageSending.SendingNumber(validator, member.Account, body.From, content.Channel);
        return await sender.AcceptAsync(validator, member.Account, from, to, content, scheduledAt: null);
    }

    private static async Task<IResult> Schedule(AccountMember member, HttpRequest request, Sender sender, TimeProvider clock)
    {
        var body = await RequestBody.ReadAsync<ScheduleMessageRequest>(request);
        var validator = new Validator();
        var to = MessageSending.Recipients(validator, body.To);
        var content = MessageContent.Read(validator, body.Body, body.Attachments, body.SavedReply, body.Channel, body.Template);
        var from = MessageSending.SendingNumber(validator, member.Account, body.From, content.Channel);
        var scheduledAt = ScheduledTime(validator, body.ScheduledAt, clock.GetUtcNow());
        if (content.IsWhatsApp && content.Template is null)
        {
            validator.Add("template", "is required to schedule a WhatsApp message: a typed body may be sent only inside the 24-hour window, which may have closed by then");
        }

        return await sender.AcceptAsync(validator, member.Account, from, to, content, scheduledAt);
    }

    /// <summary>An RFC 3339 time in the future; null (and a rule broken) otherwise.</summary>
    private static DateTimeOffset? ScheduledTime(Validator validator, string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            validator.Add("scheduledAt", "is required (scheduled_at, an RFC 3339 time such as 2058-10-25T18:09:13Z)");
            return null;
        }

        if (!Rfc3339.TryParse(text, out var at))
        {
            validator.Add("scheduledAt", $"'{text}' is not an RFC 3339 time with an offset, such as 2058-10-25T18:09:13Z");
            return null;
        }

        if (at <= now)
        {
            validator.Add("scheduledAt", $"must be in the future; {at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} has passed");
            return null;
        }

        return at.ToUniversalTime();
    }

    private static async Task<IResult> SendWithoutAccount(HttpRequest request, Sender sender, HypermediaDbContext db, AccountAccess access)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await RequestBody.ReadAsync<SendWithoutAccountRequest>(request);
        var validator = new Validator();
        var to = MessageSending.Recipients(validator, body.To);
        var content = MessageContent.Read(validator, body.Body, body.Attachments, body.SavedReply, body.Channel, body.Template);
        var account = (body.From, body.Email) switch
        {
            (null, null) => Missing(validator),
            ({ } from, null) => await AccountOfNumberAsync(validator, db, access, from, content.IsWhatsApp, cancellationToken),
            (null, { } email) => await AccountOfUserAsync(validator, db, access, email, to is { Several: false } ? to.Single : null, content.IsWhatsApp, cancellationToken),
            _ => Both(validator),
        };
        validator.ThrowIfInvalid();
        var sendingNumber = MessageSending.SendingNumber(validator, account!, body.From, content.Channel);
        return await sender.AcceptAsync(validator, account!, sendingNumber, to, content, scheduledAt: null);

        static Account? Missing(Validator validator)
        {
            validator.Add("from", "give from (a number of one of your accounts) or email (a user whose account sends)");
            return null;
        }

        static Account? Both(Validator validator)
        {
            validator.Add("email", "give from or email, not both");
            return null;
        }
    }

    /// <summary>The caller's account whose number (on WhatsApp, whose WhatsApp number) <paramref name="from"/> is.</summary>
    private static async Task<Account?> AccountOfNumberAsync(
        Validator validator, HypermediaDbContext db, AccountAccess access, string from, bool whatsApp, CancellationToken cancellationToken)
    {
        if (!PhoneNumber.TryParse(from, out var number, out var error))
        {
            validator.Add("from", error);
            return null;
        }

        var callerId = access.CallerId;
        var account = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == callerId && (whatsApp ? m.Account!.WhatsAppPhoneNumber == number.E164 : m.Account!.PhoneNumbers.Contains(number.E164)))
            .Select(m => m.Account).FirstOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            validator.Add("from", $"{number.E164} is not {(whatsApp ? "the WhatsApp number" : "a number")} of any of your accounts");
        }

        return account;
    }

    /// <summary>
    /// The account a user's message goes out from: among the accounts the user and the caller share that
    /// have a number (on WhatsApp: WhatsApp enabled), the one with the latest conversation with the recipient, else the user's first.
    /// </summary>
    private static async Task<Account?> AccountOfUserAsync(
        Validator validator, HypermediaDbContext db, AccountAccess access, string email, PhoneNumber? to, bool whatsApp, CancellationToken cancellationToken)
    {
        var address = email.Trim().ToLowerInvariant();
        var recipient = to?.E164;
        var callerAccounts = access.MemberAccountIds();
        var account = await db.Memberships.AsNoTracking()
            .Where(m => m.User!.Email == address && m.User.DiscardedAt == null && callerAccounts.Contains(m.AccountId)
                && (whatsApp ? m.Account!.WhatsAppEnabled && m.Account.WhatsAppPhoneNumber != null : m.Account!.PhoneNumbers.Count > 0))
            .OrderByDescending(m => db.Set<Conversation>().Any(c => c.AccountId == m.AccountId && c.PhoneNumber == recipient))
            .ThenByDescending(m => db.Set<Conversation>().Where(c => c.AccountId == m.AccountId && c.PhoneNumber == recipient).Max(c => (DateTimeOffset?)c.LatestActivityAt))
            .ThenBy(m => m.CreatedAt)
            .Select(m => m.Account).FirstOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            validator.Add("email", whatsApp ? "is not a user of any of your accounts that has WhatsApp enabled" : "is not a user of any of your accounts that has a phone number");
        }

        return account;
    }

    private static async Task<IResult> Get(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var view = await Visible(db, access).Where(m => m.Slug == id).Select(MessageView.Projection).SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("message");
        return ApiResults.Ok(MessageResource.Of(view, iris));
    }

    private static async Task<IResult> Delete(string id, HypermediaDbContext db, AccountAccess access, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var message = await Visible(db, access).Where(m => m.Slug == id).Select(m => new { m.Id, m.DeliveryState }).SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("message");
        if (!await ScheduledMessages.CancelAsync(db, jobs, message.Id, cancellationToken))
        {
            var state = await db.Messages.Where(m => m.Id == message.Id).Select(m => m.DeliveryState).SingleOrDefaultAsync(cancellationToken) ?? message.DeliveryState;
            throw ApiException.Conflict($"Only a scheduled message may be deleted (cancelled); this one is {state}.");
        }

        return Results.NoContent();
    }

    private static async Task<IResult> Attachments(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var message = await Visible(db, access).Where(m => m.Slug == id).Select(m => (long?)m.Id).SingleOrDefaultAsync(request.HttpContext.RequestAborted)
            ?? throw ApiException.NotFound("message");
        var links = db.MessageAttachments;
        return ApiResults.Ok(await db.Attachments.Where(a => links.Any(ma => ma.MessageId == message && ma.AttachmentId == a.Id))
            .PageAsync(request, AttachmentQueries.Model, AttachmentQueries.OldestFirst, a => AttachmentResource.Of(a, iris)));
    }

    /// <summary>
    /// Queues the message again. The state change is one conditional UPDATE, so of two retries racing
    /// each other one wins (202) and the other finds the message queued (422); a message is never
    /// dispatched by two retries.
    /// </summary>
    private static async Task<IResult> Retry(
        string id, HypermediaDbContext db, AccountAccess access, IBackgroundJobClient jobs, TimeProvider clock, Iris iris, CancellationToken cancellationToken)
    {
        var message = await Visible(db, access).Where(m => m.Slug == id).Select(m => new { m.Id, m.DeliveryState }).SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("message");
        var now = clock.GetUtcNow();
        var retried = await db.Messages.Where(m => m.Id == message.Id && DeliveryStates.Retryable.Contains(m.DeliveryState))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.DeliveryState, DeliveryStates.Queued)
                .SetProperty(m => m.DispatchStartedAt, (DateTimeOffset?)null)
                .SetProperty(m => m.FailureReason, (string?)null)
                .SetProperty(m => m.CarrierMessageId, (string?)null)
                .SetProperty(m => m.LatestEventAt, now), cancellationToken);
        if (retried == 0)
        {
            throw ApiException.Invalid("deliveryState", $"only a failed_transient or unknown message may be retried; this one is {message.DeliveryState}");
        }

        MessageDispatch.Enqueue(jobs, message.Id);
        return Results.Accepted(iris.For(MessageRoute, new { id }));
    }
}
