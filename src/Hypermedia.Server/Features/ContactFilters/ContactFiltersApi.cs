using System.ComponentModel;
using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.OptOuts;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.ContactFilters;

/// <summary>A pre-made contact search, as TextUs offers them ("all", "blocked", "opted_out").</summary>
[HydraClass("Contact filter", "A pre-made search for contacts: all (not blocked), blocked, opted_out.")]
public sealed class ContactFilterResource() : Resource("ContactFilter")
{
    [Description("The filter's identifier")]
    public required string Slug { get; init; }

    [Description("The filter's name")]
    public required string Title { get; init; }

    [Description("The search a custom filter was saved from; null for built-in filters")]
    public string? Path => null;

    [Description("The contacts matching the filter, alphabetically; q narrows them")]
    public required string Contacts { get; init; }
}

public sealed class ContactFiltersApi : IApiArea
{
    public const string AccountContactFiltersRoute = "accountContactFilters";
    public const string ContactFilterRoute = "contactFilter";
    public const string ContactFilterContactsRoute = "contactFilterContacts";

    private sealed record Filter(string Slug, string Title, Func<IQueryable<Contact>, HypermediaDbContext, IQueryable<Contact>> Apply);

    private static readonly Filter[] Filters =
    [
        new("all", "All Contacts", (contacts, _) => contacts.Where(c => c.BlockedAt == null)),
        new("blocked", "Blocked Contacts", (contacts, _) => contacts.Where(c => c.BlockedAt != null)),
        new("opted_out", "Opted-Out Contacts", (contacts, db) => contacts.Where(c =>
            c.Phones.Any(p => db.Set<OptOut>().Any(o => o.AccountId == c.AccountId && o.PhoneNumber == p.PhoneNumber && o.Active)))),
    ];

    private static readonly QueryModel<Filter> FilterModel = QueryModel.Create<Filter, FilterRow>("ContactFilter", f => new FilterRow
    {
        Entity = f,
        Slug = f.Slug,
        Title = f.Title,
    });

    public IEnumerable<AccountLink> AccountLinks =>
        [new("contactFilters", "vocab:contactFilters", "Pre-made contact searches", AccountContactFiltersRoute)];

    public void MapRoutes(AreaRoutes routes)
    {
        var api = routes.Account;
        api.MapGet("/contact_filters", List).WithName(AccountContactFiltersRoute)
            .Documented("Account.contactFilters", "List the account's contact filters")
            .Produces<HydraCollection<ContactFilterResource>>().ProducesProblems(404);
        api.MapGet("/contact_filters/{slug}", Get).WithName(ContactFilterRoute)
            .Documented("ContactFilter", "Get a contact filter (q is carried into its contacts link)")
            .Produces<ContactFilterResource>().ProducesProblems(404);
        api.MapGet("/contact_filters/{slug}/contacts", ListContacts).WithName(ContactFilterContactsRoute)
            .Documented("ContactFilter.contacts", "List the contacts matching the filter")
            .Produces<HydraCollection<ContactResource>>().ProducesProblems(404)
            .Searchable("q");
    }

    private static ContactFilterResource Resource(Filter filter, string account, string? q, Iris iris) => new()
    {
        Id = iris.For(ContactFilterRoute, new { account, slug = filter.Slug, q }),
        Slug = filter.Slug,
        Title = filter.Title,
        Contacts = iris.For(ContactFilterContactsRoute, new { account, slug = filter.Slug, q }),
    };

    private static Filter Find(string slug) =>
        Filters.SingleOrDefault(f => f.Slug == slug) ?? throw ApiException.NotFound("contact filter");

    private static IResult List(string account, HttpRequest request, Iris iris) =>
        ApiResults.Ok(Filters.Page(request, FilterModel, f => Resource(f, account, null, iris)));

    private static IResult Get(string account, string slug, string? q, Iris iris) =>
        ApiResults.Ok(Resource(Find(slug), account, string.IsNullOrWhiteSpace(q) ? null : q, iris));

    private static async Task<IResult> ListContacts(AccountMember member, string slug, string? q, HttpRequest request, HypermediaDbContext db, Iris iris)
    {
        var filter = Find(slug);
        var contacts = filter.Apply(db.Contacts.Where(c => c.AccountId == member.Account.Id), db);
        return ApiResults.Ok(await ContactQueries.Search(contacts, q).PageDocumentsAsync(request, db, iris));
    }

    private sealed class FilterRow : QueryRow<Filter>
    {
        public required string Slug { get; init; }

        public required string Title { get; init; }
    }
}
