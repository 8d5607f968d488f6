using Hangfire;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
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
public sealed class MessagesApi : IApiArea
{
    public const string MessageRoute = "message";
    public const string AccountMessagesRoute = "accountMessages";
    public const string MessageAttachmentsRoute = "messageAttachments";
    public const string MessageRetryRoute = "messageRetry";

    public IEnumerable<AccountLink> AccountLinks =>
        [new("messages", "vocab:messages", "Send a message from this account", AccountMessagesRoute)];

    public void AddServices(IServiceCollection services)
    {
        services.AddScoped<MessageSending>();
        services.AddHostedService<QueuedMessageSweepSchedule>();
    }

    public void MapRoutes(AreaRoutes routes)
    {
        routes.Account.MapPost("/messages", SendFromAccount).WithName(AccountMessagesRoute)
            .Documented("Account.messages", "Send a message to one number: 201 with the message, queued; a job hands it to the carrier")
            .AcceptsBody<SendMessageRequest>().Produces<MessageResource>(201).ProducesProblems(404);

        var api = routes.Authenticated;
        api.MapPost("/messages", SendWithoutAccount)
            .Documented("Message", "Send a message without naming the account: from (a number of one of your accounts) or email (a user: the account of their latest conversation with the recipient, else their first account that has a number)")
            .AcceptsBody<SendWithoutAccountRequest>().Produces<MessageResource>(201);
        api.MapGet("/messages/{id}", Get).WithName(MessageRoute)
            .Documented("Message", "Get a message")
            .Produces<MessageResource>().ProducesProblems(404);
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

    private static async Task<IResult> SendFromAccount(AccountMember member, HttpRequest request, MessageSending sending, AccountAccess access, Iris iris)
    {
        var body = await RequestBody.ReadAsync<SendMessageRequest>(request);
        var validator = new Validator();
        var to = MessageSending.Recipient(validator, body.To);
        var text = validator.Text("body", body.Body, MessageRules.MaxBodyLength);
        var from = MessageSending.SendingNumber(validator, member.Account, body.From);
        return await AcceptAsync(sending, validator, member.Account, from, to, text, access, iris, request.HttpContext.RequestAborted);
    }

    private static async Task<IResult> SendWithoutAccount(HttpRequest request, MessageSending sending, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await RequestBody.ReadAsync<SendWithoutAccountRequest>(request);
        var validator = new Validator();
        var to = MessageSending.Recipient(validator, body.To);
        var text = validator.Text("body", body.Body, MessageRules.MaxBodyLength);
        var account = (body.From, body.Email) switch
        {
            (null, null) => Missing(validator),
            ({ } from, null) => await AccountOfNumberAsync(validator, db, access, from, cancellationToken),
            (null, { } email) => await AccountOfUserAsync(validator, db, access, email, to, cancellationToken),
            _ => Both(validator),
        };
        validator.ThrowIfInvalid();
        var sendingNumber = MessageSending.SendingNumber(validator, account!, body.From);
        return await AcceptAsync(sending, validator, account!, sendingNumber, to, text, access, iris, cancellationToken);

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

    private static async Task<IResult> AcceptAsync(
        MessageSending sending, Validator validator, Account account, string? from, PhoneNumber? to, string? text, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var send = await sending.ValidateAsync(validator, account, from, to, text, (access.CallerId, access.CallerSlug), cancellationToken);
        var view = await sending.AcceptAsync(send, cancellationToken);
        return ApiResults.Created(MessageResource.Of(view, iris));
    }

    private static async Task<Account?> AccountOfNumberAsync(Validator validator, HypermediaDbContext db, AccountAccess access, string from, CancellationToken cancellationToken)
    {
        if (!PhoneNumber.TryParse(from, out var number, out var error))
        {
            validator.Add("from", error);
            return null;
        }

        var callerId = access.CallerId;
        var account = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == callerId && m.Account!.PhoneNumbers.Contains(number.E164))
            .Select(m => m.Account).FirstOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            validator.Add("from", $"{number.E164} is not a number of any of your accounts");
        }

        return account;
    }

    /// <summary>
    /// The account a user's message goes out from: among the accounts the user and the caller share that
    /// have a number, the one with the latest conversation with the recipient, else the user's first.
    /// </summary>
    private static async Task<Account?> AccountOfUserAsync(
        Validator validator, HypermediaDbContext db, AccountAccess access, string email, PhoneNumber? to, CancellationToken cancellationToken)
    {
        var address = email.Trim().ToLowerInvariant();
        var recipient = to?.E164;
        var callerAccounts = access.MemberAccountIds();
        var account = await db.Memberships.AsNoTracking()
            .Where(m => m.User!.Email == address && m.User.DiscardedAt == null && callerAccounts.Contains(m.AccountId) && m.Account!.PhoneNumbers.Count > 0)
            .OrderByDescending(m => db.Set<Conversation>().Any(c => c.AccountId == m.AccountId && c.PhoneNumber == recipient))
            .ThenByDescending(m => db.Set<Conversation>().Where(c => c.AccountId == m.AccountId && c.PhoneNumber == recipient).Max(c => (DateTimeOffset?)c.LatestActivityAt))
            .ThenBy(m => m.CreatedAt)
            .Select(m => m.Account).FirstOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            validator.Add("email", "is not a user of any of your accounts that has a phone number");
        }

        return account;
    }

    private static async Task<IResult> Get(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken)
    {
        var view = await Visible(db, access).Where(m => m.Slug == id).Select(MessageView.Projection).SingleOrDefaultAsync(cancellationToken)
            ?? throw ApiException.NotFound("message");
        return ApiResults.Ok(MessageResource.Of(view, iris));
    }

    private static async Task<IResult> Attachments(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, CancellationToken cancellationToken)
    {
        if (!await Visible(db, access).AnyAsync(m => m.Slug == id, cancellationToken))
        {
            throw ApiException.NotFound("message");
        }

        return ApiResults.Ok(MessageAttachments.Of(request));
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
