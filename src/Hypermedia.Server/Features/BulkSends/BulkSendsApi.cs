using Hangfire;
using Hypermedia.JsonLd;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Dashboard;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.BulkSends;

/// <summary>
/// Bulk sends (a send to several recipients, answered 202 by the messages area): reading one, its
/// recipients and the account's list, which any member of the account may do; cancelling one, which its
/// sender or an admin of the account may do. Another account's bulk send is a 404.
/// </summary>
public sealed class BulkSendsApi : IApiArea
{
    public const string BulkSendRoute = "bulkSend";
    public const string AccountBulkSendsRoute = "accountBulkSends";
    public const string RecipientsRoute = "bulkSendRecipients";
    public const string CancelRoute = "bulkSendCancel";

    public IEnumerable<AccountLink> AccountLinks =>
        [new("bulkSends", "vocab:bulkSends", "The account's bulk sends, newest first", AccountBulkSendsRoute)];

    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<BulkSendOptions>().BindConfiguration(BulkSendOptions.Section);
        services.AddScoped<BulkSendAcceptance>();
        services.AddScoped<BulkSendJobs>();
        services.AddHostedService<BulkSendSweepSchedule>();
    }

    public IEnumerable<DashboardPage> DashboardPages =>
        [new(BulkSendsDashboardPage.Path, "Bulk sends", () => new BulkSendsDashboardPage())];

    public void MapRoutes(AreaRoutes routes)
    {
        routes.Account.MapGet("/bulk_sends", List).WithName(AccountBulkSendsRoute)
            .Documented("Account.bulkSends", "List the account's bulk sends, newest first")
            .Produces<HydraCollection<BulkSendResource>>().ProducesProblems(404);

        var api = routes.Authenticated;
        api.MapGet("/bulk_sends/{id}", Get).WithName(BulkSendRoute)
            .Documented("BulkSend", "Get a bulk send: its state, counts and progress")
            .Produces<BulkSendResource>().ProducesProblems(404);
        api.MapGet("/bulk_sends/{id}/recipients", Recipients).WithName(RecipientsRoute)
            .Documented("BulkSend.recipients", "List the bulk send's recipients in the order the request listed them")
            .Produces<HydraCollection<BulkSendRecipientResource>>().ProducesProblems(404);
        api.MapPost("/bulk_sends/{id}/cancel", Cancel).WithName(CancelRoute)
            .Documented("BulkSend.cancel", "Cancel the recipients not processed yet (the sender or an account admin); 409 once completed or cancelled")
            .Produces<BulkSendResource>().ProducesProblems(403, 404, 409);
    }

    /// <summary>Bulk sends of the caller's accounts; another account's is not there (404).</summary>
    private static IQueryable<BulkSend> Visible(HypermediaDbContext db, AccountAccess access)
    {
        var accounts = access.MemberAccountIds();
        return db.BulkSends.Where(b => accounts.Contains(b.AccountId));
    }

    private static async Task<IResult> List(AccountMember member, HttpRequest request, HypermediaDbContext db, Iris iris)
    {
        var accountId = member.Account.Id;
        return ApiResults.Ok(await db.BulkSends.Where(b => b.AccountId == accountId)
            .PageAsync(request, BulkSendQueries.Model, BulkSendQueries.NewestFirst, BulkSendView.Projection(db), v => v.Send, v => BulkSendResource.Of(v, iris)));
    }

    private static async Task<IResult> Get(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken) =>
        ApiResults.Ok(BulkSendResource.Of(await ReadAsync(Visible(db, access).Where(b => b.Slug == id), db, cancellationToken), iris));

    private static async Task<BulkSendView> ReadAsync(IQueryable<BulkSend> query, HypermediaDbContext db, CancellationToken cancellationToken) =>
        await query.AsNoTracking().Select(BulkSendView.Projection(db)).SingleOrDefaultAsync(cancellationToken)
        ?? throw ApiException.NotFound("bulk send");

    private static async Task<IResult> Recipients(string id, HttpRequest request, HypermediaDbContext db, AccountAccess access, Iris iris)
    {
        var send = await Visible(db, access).Where(b => b.Slug == id).Select(b => new { b.Id, b.Slug, b.TotalCount, Unwritten = db.Set<AcceptedRecipients>().Any(a => a.BulkSendId == b.Id) })
            .SingleOrDefaultAsync(request.HttpContext.RequestAborted) ?? throw ApiException.NotFound("bulk send");
        if (send.Unwritten)
        {
            await BulkSendRecipientRows.WriteAsync(db, send.Id, request.HttpContext.RequestAborted);
        }

        var slug = send.Slug;
        return ApiResults.Ok(await db.BulkSendRecipients.Where(r => r.BulkSendId == send.Id)
            .PageAsync(request, BulkSendQueries.RecipientModel, BulkSendQueries.InRequestOrder,
                r => new RecipientView(r, slug, r.Message == null ? null : r.Message.Slug), v => v.Recipient, v => BulkSendRecipientResource.Of(v, iris),
                knownTotal: send.TotalCount));
    }

    /// <summary>
    /// One transaction: the send's row locked <c>FOR UPDATE</c> (which waits for every fan-out chunk in
    /// flight, each holding a key-share lock, so a chunk is never half-cancelled and no chunk starts after),
    /// its state, then every recipient still pending. Of two cancels racing, one wins and the other finds it
    /// cancelled (409).
    /// </summary>
    private static async Task<IResult> Cancel(
        string id, HypermediaDbContext db, AccountAccess access, IBackgroundJobClient jobs, TimeProvider clock, Iris iris, CancellationToken cancellationToken)
    {
        var found = await Visible(db, access).Where(b => b.Slug == id).Select(b => new { b.Id, b.AccountId, b.SenderId, b.State, b.JobIds })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ApiException.NotFound("bulk send");
        if (found.SenderId != access.CallerId && !await access.AdminAccountIds().ContainsAsync(found.AccountId, cancellationToken))
        {
            throw ApiException.Forbidden("Only the bulk send's sender or an admin of its account may cancel it.");
        }

        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM bulk_sends WHERE id = {found.Id} FOR UPDATE", cancellationToken);
            await BulkSendRecipientRows.WriteAsync(db, found.Id, cancellationToken);
            var cancelled = await db.BulkSends.Where(b => b.Id == found.Id && BulkSendStates.Cancellable.Contains(b.State)).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.State, BulkSendStates.Cancelled)
                .SetProperty(b => b.CancelledAt, now)
                .SetProperty(b => b.LatestEventAt, now), cancellationToken);
            if (cancelled == 0)
            {
                var state = await db.BulkSends.Where(b => b.Id == found.Id).Select(b => b.State).SingleAsync(cancellationToken);
                throw ApiException.Conflict($"Only a scheduled, queued or sending bulk send may be cancelled; this one is {state}.");
            }

            var stopped = await db.BulkSendRecipients.Where(r => r.BulkSendId == found.Id && r.State == RecipientStates.Pending).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.State, RecipientStates.Cancelled)
                .SetProperty(r => r.Reason, "the bulk send was cancelled")
                .SetProperty(r => r.ProcessedAt, now), cancellationToken);
            await db.BulkSends.Where(b => b.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.CancelledCount, stopped), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (found.State == BulkSendStates.Scheduled)
        {
            // Its start job would find it cancelled and do nothing; deleting it keeps the dashboard honest.
            foreach (var jobId in found.JobIds)
            {
                jobs.Delete(jobId);
            }
        }

        return ApiResults.Ok(BulkSendResource.Of(await ReadAsync(db.BulkSends.Where(b => b.Id == found.Id), db, cancellationToken), iris));
    }
}
