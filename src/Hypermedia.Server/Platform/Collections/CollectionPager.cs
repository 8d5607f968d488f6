using System.Linq.Expressions;
using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Platform.Errors;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hypermedia.Server.Platform.Collections;

/// <summary>
/// Turns a query over one account's rows into a page of a hydra:Collection: OData options
/// ($filter, $orderby, $top, $skip, $count) run in SQL; the default order pages by keyset cursor;
/// an explicit $orderby or $skip pages by offset. view links keep every query option.
/// </summary>
public static class CollectionPager
{
    public const string CursorParameter = "cursor";
    private const string SkipParameter = "$skip";
    private const string TopParameter = "$top";
    private const string Forward = "a";
    private const string Backward = "b";

    public static Task<HydraCollection<TDto>> PageAsync<TEntity, TDto>(
        this IQueryable<TEntity> source,
        HttpRequest request,
        QueryModel<TEntity> model,
        KeysetOrder<TEntity> order,
        Func<TEntity, TDto> project,
        Expression<Func<TEntity, TEntity>>? shape = null)
        where TEntity : class =>
        source.ReadPageAsync(request, model, order, page => Shaped(page.AsNoTracking(), shape), row => row, project, knownTotal: null);

    /// <summary>
    /// Pages like the overload above, but reads each row as <paramref name="view"/>: the entity with what its
    /// document needs from related rows (a per-user state, the latest message), in the page's one statement.
    /// <paramref name="knownTotal"/> is the collection's size where the caller keeps it (a conversation's
    /// message count): it replaces the COUNT unless $filter narrows the collection.
    /// </summary>
    public static Task<HydraCollection<TDto>> PageAsync<TEntity, TView, TDto>(
        this IQueryable<TEntity> source,
        HttpRequest request,
        QueryModel<TEntity> model,
        KeysetOrder<TEntity> order,
        Expression<Func<TEntity, TView>> view,
        Func<TView, TEntity> entityOf,
        Func<TView, TDto> project,
        long? knownTotal = null)
        where TEntity : class =>
        source.ReadPageAsync(request, model, order, page => page.AsNoTracking().Select(view), entityOf, project, knownTotal);

    private static async Task<HydraCollection<TDto>> ReadPageAsync<TEntity, TRow, TDto>(
        this IQueryable<TEntity> source,
        HttpRequest request,
        QueryModel<TEntity> model,
        KeysetOrder<TEntity> order,
        Func<IQueryable<TEntity>, IQueryable<TRow>> read,
        Func<TRow, TEntity> entityOf,
        Func<TRow, TDto> project,
        long? knownTotal)
        where TEntity : class
    {
        var options = Parse(request, model);
        var cancellationToken = request.HttpContext.RequestAborted;
        var (rows, total, next, previous) = await WithQueryErrorsAsync(options, async () =>
        {
            var filtered = options.ApplyFilter(source);
            var total = knownTotal is { } known && !options.HasFilter ? known : await filtered.LongCountAsync(cancellationToken);
            var (rows, next, previous) = options.HasOrderBy || request.Query.ContainsKey(SkipParameter)
                ? await OffsetPageAsync(filtered, options, order, request, read)
                : await KeysetPageAsync(filtered, options, order, request, read, entityOf);
            return (rows, total, next, previous);
        });

        return Assemble(request, [.. rows.Select(project)], total, options.Top, next, previous);
    }

    /// <summary>The same page with each member projected (a page read as entities, then written as documents).</summary>
    public static HydraCollection<TOut> Map<TIn, TOut>(this HydraCollection<TIn> page, Func<TIn, TOut> project) => new()
    {
        Id = page.Id,
        Members = [.. page.Members.Select(project)],
        TotalItems = page.TotalItems,
        View = page.View,
    };

    /// <summary>A small collection embedded whole in its parent resource (a contact's phones): one page, nothing before or after.</summary>
    public static HydraCollection<TDto> Whole<TDto>(string collectionIri, IReadOnlyList<TDto> members) => new()
    {
        Id = collectionIri,
        Members = members,
        TotalItems = members.Count,
        View = new PartialCollectionView
        {
            Id = collectionIri + "?" + TopParameter + "=" + Invariant(QueryLimits.Default.MaxTop),
            First = collectionIri,
        },
    };

    /// <summary>
    /// The same query options over a small list already in memory (a contact's phones, the fixed
    /// contact filters): filtered, ordered and paged by offset.
    /// </summary>
    public static HydraCollection<TDto> Page<TEntity, TDto>(this IEnumerable<TEntity> items, HttpRequest request,
        QueryModel<TEntity> model, Func<TEntity, TDto> project)
    {
        var options = Parse(request, model);
        if (request.Query.ContainsKey(CursorParameter))
        {
            // Small lists page by $skip only; no cursor was ever issued for them.
            throw QueryProblem(CursorParameter, "The cursor is not one this server issued; follow the view links.");
        }

        var (rows, total) = WithQueryErrors(() =>
        {
            var filtered = options.ApplyFilter(items.AsQueryable());
            var ordered = options.HasOrderBy ? options.ApplyOrderBy(filtered, _ => 0) : filtered;
            return (ordered.Skip(options.Skip).Take(options.Top).Select(project).ToList(), filtered.LongCount());
        });
        var (next, previous) = OffsetLinks(request, options, hasNext: options.Skip + options.Top < total);
        return Assemble(request, rows, total, options.Top, next, previous);
    }

    private static HydraCollection<TDto> Assemble<TDto>(HttpRequest request, IReadOnlyList<TDto> members, long total, int top,
        string? next, string? previous)
    {
        var collectionIri = CollectionIri(request);
        return new HydraCollection<TDto>
        {
            Id = collectionIri,
            Members = members,
            TotalItems = total,
            View = new PartialCollectionView
            {
                Id = PageIri(request, collectionIri, top),
                First = Link(request, null),
                Next = next,
                Previous = previous,
            },
        };
    }

    private static (string? Next, string? Previous) OffsetLinks<TEntity>(HttpRequest request, ParsedQuery<TEntity> options, bool hasNext) =>
        (hasNext ? Link(request, (SkipParameter, Invariant(options.Skip + options.Top))) : null,
         options.Skip > 0 ? Link(request, (SkipParameter, Invariant(Math.Max(0, options.Skip - options.Top)))) : null);

    /// <summary>
    /// The page's own IRI: the request as made, made explicit when it is the bare collection IRI, so
    /// the view and the collection stay two nodes (Hydra: the view identifies the page).
    /// </summary>
    private static string PageIri(HttpRequest request, string collectionIri, int top)
    {
        var requested = request.Path + request.QueryString;
        return requested == collectionIri ? Link(request, (TopParameter, Invariant(top))) : requested;
    }

    /// <summary>The collection itself: the request without its paging parameters (page size included).</summary>
    private static string CollectionIri(HttpRequest request) => Build(request, [CursorParameter, SkipParameter, TopParameter], null);

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ParsedQuery<TEntity> Parse<TEntity>(HttpRequest request, QueryModel<TEntity> model) =>
        WithQueryErrors(() => ODataQuery.Parse(model, request));

    private static T WithQueryErrors<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (QueryOptionException e)
        {
            throw QueryProblem(e.Option, e.Message);
        }
    }

    /// <summary>
    /// Runs the page's SQL. Query options that pass validation can still fail in PostgreSQL (a division by zero,
    /// an overflow: SQLSTATE class 22) or in EF's translation; both are the client's query, so both are a 400.
    /// </summary>
    private static async Task<T> WithQueryErrorsAsync<TEntity, T>(ParsedQuery<TEntity> options, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (QueryOptionException e)
        {
            throw QueryProblem(e.Option, e.Message);
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal) && options.HasFilter)
        {
            throw QueryProblem("$filter", $"$filter cannot be evaluated on this collection: {e.MessageText}.");
        }
        catch (InvalidOperationException e) when ((options.HasFilter || options.HasOrderBy) && e.Message.Contains("could not be translated", StringComparison.Ordinal))
        {
            var option = options.HasFilter ? "$filter" : "$orderby";
            throw QueryProblem(option, $"{option} uses an expression this collection cannot evaluate in the database.");
        }
    }

    private static ApiException QueryProblem(string option, string message) =>
        new(StatusCodes.Status400BadRequest, message, new Dictionary<string, string[]> { [option] = [message] });

    private static async Task<(List<TRow>, string?, string?)> OffsetPageAsync<TEntity, TRow>(
        IQueryable<TEntity> filtered, ParsedQuery<TEntity> options, KeysetOrder<TEntity> order, HttpRequest request,
        Func<IQueryable<TEntity>, IQueryable<TRow>> read)
        where TEntity : class
    {
        var ordered = options.HasOrderBy ? options.ApplyOrderBy(filtered, order.Id) : order.Sort(filtered, backwards: false);
        var rows = await read(ordered.Skip(options.Skip).Take(options.Top + 1))
            .ToListAsync(request.HttpContext.RequestAborted);
        var hasNext = rows.Count > options.Top;
        if (hasNext)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var (next, previous) = OffsetLinks(request, options, hasNext);
        return (rows, next, previous);
    }

    private static async Task<(List<TRow>, string?, string?)> KeysetPageAsync<TEntity, TRow>(
        IQueryable<TEntity> filtered, ParsedQuery<TEntity> options, KeysetOrder<TEntity> order, HttpRequest request,
        Func<IQueryable<TEntity>, IQueryable<TRow>> read, Func<TRow, TEntity> entityOf)
        where TEntity : class
    {
        var cursorText = request.Query[CursorParameter].ToString();
        var backwards = false;
        var query = filtered;
        if (cursorText.Length > 0)
        {
            if (!KeysetCursor.TryDecode(cursorText, 3, out var cursor) || cursor[0] is not (Forward or Backward))
            {
                throw QueryProblem(CursorParameter, "The cursor is not one this server issued; follow the view links.");
            }

            backwards = cursor[0] == Backward;
            try
            {
                query = order.Beyond(filtered, cursor[1..], backwards);
            }
            catch (FormatException)
            {
                throw QueryProblem(CursorParameter, "The cursor is not one this server issued; follow the view links.");
            }
        }

        var rows = await read(order.Sort(query, backwards).Take(options.Top + 1))
            .ToListAsync(request.HttpContext.RequestAborted);
        var hasMore = rows.Count > options.Top;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (backwards)
        {
            rows.Reverse();
        }

        var moreAfter = backwards ? cursorText.Length > 0 : hasMore;
        var moreBefore = backwards ? hasMore : cursorText.Length > 0;
        var next = moreAfter && rows.Count > 0 ? Link(request, (CursorParameter, Cursor(Forward, order.CursorOf(entityOf(rows[^1]))))) : null;
        var previous = moreBefore && rows.Count > 0 ? Link(request, (CursorParameter, Cursor(Backward, order.CursorOf(entityOf(rows[0]))))) : null;
        return (rows, next, previous);
    }

    /// <summary>
    /// The page's rows as the documents need them: a shape reads the columns and related rows a document shows
    /// in the same statement, where an Include would read whole related rows.
    /// </summary>
    private static IQueryable<TEntity> Shaped<TEntity>(IQueryable<TEntity> page, Expression<Func<TEntity, TEntity>>? shape) =>
        shape is null ? page : page.Select(shape);

    private static string Cursor(string direction, string?[] position) => KeysetCursor.Encode([direction, .. position]);

    /// <summary>The request's path and query with its position (cursor, $skip) replaced, or removed when <paramref name="page"/> is null.</summary>
    private static string Link(HttpRequest request, (string Name, string Value)? page) =>
        Build(request, [CursorParameter, SkipParameter], page);

    private static string Build(HttpRequest request, string[] drop, (string Name, string Value)? page)
    {
        var query = new QueryBuilder(request.Query
            .Where(q => !drop.Contains(q.Key))
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))));
        if (page is { } p)
        {
            query.Add(p.Name, p.Value);
        }

        return request.Path + query.ToQueryString().ToString();
    }
}
