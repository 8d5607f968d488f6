using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Platform.Phones;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.OptOuts;

/// <summary>
/// Opt-outs per account and number. PUT opts out (201, or 200 when already opted out), DELETE opts
/// back in (204); both append to the number's consent history, which is never edited.
/// </summary>
public sealed class OptOutsApi : IApiArea
{
    public const string AccountOptOutsRoute = "accountOptOuts";
    public const string OptOutRoute = "optOut";
    public const string OptOutHistoryRoute = "optOutHistory";
    public const int MinQueryLength = 3;

    private static readonly QueryModel<OptOut> Model = QueryModel.Create<OptOut, OptOutRow>("OptOut", o => new OptOutRow
    {
        Entity = o,
        PhoneNumber = o.PhoneNumber,
        CreatedAt = o.OptedOutAt,
        CreatedVia = o.CreatedVia,
    });

    private static readonly KeysetOrder<OptOut> Newest = KeysetOrder<OptOut>.By(o => o.OptedOutAt, o => o.Id, descending: true);

    private static readonly QueryModel<OptOutEvent> EventModel = QueryModel.Create<OptOutEvent, OptOutEventRow>("OptOutEvent", e => new OptOutEventRow
    {
        Entity = e,
        Action = e.Action,
        Via = e.Via,
        OccurredAt = e.OccurredAt,
    });

    private static readonly KeysetOrder<OptOutEvent> NewestEvents = KeysetOrder<OptOutEvent>.By(e => e.OccurredAt, e => e.Id, descending: true);

    public IEnumerable<AccountLink> AccountLinks =>
        [new("optOuts", "vocab:optOuts", "Numbers opted out of texts from this account", AccountOptOutsRoute)];

    public void MapRoutes(AreaRoutes routes)
    {
        var api = routes.Account;
        api.MapGet("/opt_outs", List).WithName(AccountOptOutsRoute)
            .Documented("Account.optOuts", "List opted-out numbers, newest first; q (3+ characters) matches digits, exact[] lists numbers")
            .Produces<HydraCollection<OptOutResource>>().ProducesProblems(404, 422)
            .Searchable("q", "exact[]");
        api.MapGet("/opt_outs/{phone}", Get).WithName(OptOutRoute)
            .Documented("OptOut", "Get the opt-out of a number")
            .Produces<OptOutResource>().ProducesProblems(404, 422);
        api.MapPut("/opt_outs/{phone}", OptOutNumber)
            .Documented("OptOut", "Opt a number out (201; 200 when it already was)")
            .Produces<OptOutResource>().Produces<OptOutResource>(201).ProducesProblems(404, 422);
        api.MapDelete("/opt_outs/{phone}", OptIn)
            .Documented("OptOut", "Opt a number back in (the opt-out stays in its history)")
            .Produces(204).ProducesProblems(404, 422);
        api.MapGet("/opt_outs/{phone}/history", History).WithName(OptOutHistoryRoute)
            .Documented("OptOut.history", "List every opt-out and opt-in of the number, newest first")
            .Produces<HydraCollection<OptOutEventResource>>().ProducesProblems(404, 422);
    }

    private static string Normalize(string phone, string field) =>
        PhoneNumber.TryParse(phone, out var number, out var error) ? number.E164 : throw ApiException.Invalid(field, error);

    private static bool IsWrittenNumber(string q) =>
        q.Any(char.IsAsciiDigit) && q.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.');

    private static async Task<IResult> List(AccountMember member, string? q, HttpRequest request, HypermediaDbContext db, Iris iris)
    {
        var optOuts = db.OptOuts.Where(o => o.AccountId == member.Account.Id && o.Active);
        if (q is not null)
        {
            if (q.Trim().Length < MinQueryLength)
            {
                throw ApiException.Invalid("q", $"must be at least {MinQueryLength} characters");
            }

            // A number as people write it, "(720) 555-0132", matches by its digits; any other text is taken
            // literally, so "under_score" or "%%%" matches no number instead of every number.
            var pattern = SearchText.Contains(IsWrittenNumber(q) ? new string([.. q.Where(char.IsAsciiDigit)]) : q);
            optOuts = optOuts.Where(o => EF.Functions.Like(o.PhoneNumber, pattern, SearchText.EscapeCharacter));
        }

        var exact = request.Query["exact[]"].Concat(request.Query["exact"]).ToList();
        if (exact.Count > 0)
        {
            var validator = new Validator();
            var numbers = new List<string>();
            for (var i = 0; i < exact.Count; i++)
            {
                if (PhoneNumber.TryParse(exact[i], out var number, out var error))
                {
                    numbers.Add(number.E164);
                }
                else
                {
                    validator.Add($"exact[{i}]", error);
                }
            }

            validator.ThrowIfInvalid();
            optOuts = optOuts.Where(o => numbers.Contains(o.PhoneNumber));
        }

        return ApiResults.Ok(await optOuts.Include(o => o.User)
            .PageAsync(request, Model, Newest, o => OptOutResource.From(o, member.Account, iris)));
    }

    private static async Task<IResult> Get(AccountMember member, string phone, HypermediaDbContext db, Iris iris, CancellationToken cancellationToken)
    {
        var number = Normalize(phone, "phone");
        var optOut = await db.OptOuts.Include(o => o.User)
            .SingleOrDefaultAsync(o => o.AccountId == member.Account.Id && o.PhoneNumber == number && o.Active, cancellationToken)
            ?? throw ApiException.NotFound("opt-out");
        return ApiResults.Ok(OptOutResource.From(optOut, member.Account, iris));
    }

    private static async Task<IResult> OptOutNumber(AccountMember member, string phone, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock, CancellationToken cancellationToken)
    {
        var number = Normalize(phone, "phone");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await Consent.LockAsync(db, member.Account.Id, number, cancellationToken);
        // Already opted out (perhaps by a request that held the lock a moment ago): nothing recorded, 200.
        var (optOut, changed) = await Consent.OptOutAsync(db, member.Account.Id, number, Consent.ViaUser, access.CallerId, clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await db.Entry(optOut).Reference(o => o.User).LoadAsync(cancellationToken);
        var resource = OptOutResource.From(optOut, member.Account, iris);
        return changed ? ApiResults.Created(resource) : ApiResults.Ok(resource);
    }

    private static async Task<IResult> OptIn(AccountMember member, string phone, HypermediaDbContext db, AccountAccess access, TimeProvider clock, CancellationToken cancellationToken)
    {
        var number = Normalize(phone, "phone");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await Consent.LockAsync(db, member.Account.Id, number, cancellationToken);
        // Not opted out (perhaps opted back in by a request that held the lock a moment ago): 404, nothing recorded.
        if (!await Consent.OptInAsync(db, member.Account.Id, number, Consent.ViaUser, access.CallerId, clock.GetUtcNow(), cancellationToken))
        {
            throw ApiException.NotFound("opt-out");
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> History(AccountMember member, string phone, HttpRequest request, HypermediaDbContext db, Iris iris)
    {
        var number = Normalize(phone, "phone");
        return ApiResults.Ok(await db.OptOutEvents.Where(e => e.AccountId == member.Account.Id && e.PhoneNumber == number).Include(e => e.User)
            .PageAsync(request, EventModel, NewestEvents, e => OptOutEventResource.From(e, member.Account.Slug, iris)));
    }

    private sealed class OptOutRow : QueryRow<OptOut>
    {
        public required string PhoneNumber { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }

        public required string CreatedVia { get; init; }
    }

    private sealed class OptOutEventRow : QueryRow<OptOutEvent>
    {
        public required string Action { get; init; }

        public required string Via { get; init; }

        public required DateTimeOffset OccurredAt { get; init; }
    }
}
