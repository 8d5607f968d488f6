using System.Globalization;
using System.Linq.Expressions;
using Hypermedia.Querying;

namespace Hypermedia.Server.Platform.Collections;

/// <summary>
/// A collection's default order: a sort key with the row id as tie-breaker. Pages are range queries
/// on (key, id), so page 1,000 costs what page 1 costs, given an index on the same pair.
/// </summary>
public sealed class KeysetOrder<TEntity>
{
    private readonly LambdaExpression key;
    private readonly Expression<Func<TEntity, long>> id;
    private readonly Func<TEntity, string?> keyText;
    private readonly Func<TEntity, long> idValue;
    private readonly Func<string, object?> parseKey;

    private KeysetOrder(LambdaExpression key, Expression<Func<TEntity, long>> id, bool descending,
        Func<TEntity, string?> keyText, Func<string, object?> parseKey)
    {
        this.key = key;
        this.id = id;
        Descending = descending;
        this.keyText = keyText;
        this.parseKey = parseKey;
        idValue = id.Compile();
    }

    public bool Descending { get; }

    public Expression<Func<TEntity, long>> Id => id;

    public static KeysetOrder<TEntity> By(Expression<Func<TEntity, string>> key, Expression<Func<TEntity, long>> id, bool descending = false)
    {
        var compiled = key.Compile();
        return new(key, id, descending, e => compiled(e), s => IsStorableText(s) ? s : null);
    }

    public static KeysetOrder<TEntity> By(Expression<Func<TEntity, DateTimeOffset>> key, Expression<Func<TEntity, long>> id, bool descending = false)
    {
        var compiled = key.Compile();
        return new(key, id, descending, e => compiled(e).UtcTicks.ToString(CultureInfo.InvariantCulture), ParseTicks);
    }

    public static KeysetOrder<TEntity> By(Expression<Func<TEntity, int>> key, Expression<Func<TEntity, long>> id, bool descending = false)
    {
        var compiled = key.Compile();
        return new(key, id, descending, e => compiled(e).ToString(CultureInfo.InvariantCulture),
            s => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null);
    }

    /// <summary>The cursor values of a row: its key and its id.</summary>
    public string?[] CursorOf(TEntity row) => [keyText(row), idValue(row).ToString(CultureInfo.InvariantCulture)];

    /// <summary>Orders by (key, id), reversed when paging backwards.</summary>
    public IOrderedQueryable<TEntity> Sort(IQueryable<TEntity> source, bool backwards)
    {
        var descending = Descending ^ backwards;
        var ordered = (IOrderedQueryable<TEntity>)source.Provider.CreateQuery<TEntity>(Expression.Call(
            typeof(Queryable), descending ? nameof(Queryable.OrderByDescending) : nameof(Queryable.OrderBy),
            [typeof(TEntity), key.ReturnType], source.Expression, Expression.Quote(key)));
        return descending ? ordered.ThenByDescending(id) : ordered.ThenBy(id);
    }

    /// <summary>
    /// Rows strictly after (or, backwards, before) the cursor position in this order. A cursor is only
    /// base64url JSON, so anyone can forge one: each value must fit its column (a bigint id, a date in
    /// range, text PostgreSQL can hold) or this throws <see cref="FormatException"/>, before any SQL.
    /// </summary>
    public IQueryable<TEntity> Beyond(IQueryable<TEntity> source, string?[] cursor, bool backwards)
    {
        if (cursor[0] is not { } keyString
            || parseKey(keyString) is not { } keyValue
            || !long.TryParse(cursor[1], NumberStyles.None, CultureInfo.InvariantCulture, out var cursorId))
        {
            throw new FormatException("Malformed cursor.");
        }

        var row = key.Parameters[0];
        var keyBody = key.Body;
        var idBody = new ParameterReplacer(id.Parameters[0], row).Visit(id.Body);
        var greater = Descending ^ backwards ? ExpressionType.LessThan : ExpressionType.GreaterThan;

        // key >= k AND (key > k OR id > i), with the direction flipped as needed. The first, redundant
        // term is what lets PostgreSQL start the (account, key, id) index scan at the cursor.
        // The values are SQL parameters, so every next page reuses one compiled query and one plan.
        var keyParameter = QueryParameter.For(keyValue, key.ReturnType);
        var notBefore = Compare(keyBody, keyParameter, greater == ExpressionType.GreaterThan ? ExpressionType.GreaterThanOrEqual : ExpressionType.LessThanOrEqual);
        var beyondKey = Compare(keyBody, keyParameter, greater);
        var beyondId = Expression.MakeBinary(greater, idBody, QueryParameter.For(cursorId, typeof(long)));
        var predicate = Expression.AndAlso(notBefore, Expression.OrElse(beyondKey, beyondId));
        return source.Where(Expression.Lambda<Func<TEntity, bool>>(predicate, row));
    }

    private static object? ParseTicks(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    /// <summary>PostgreSQL text holds neither U+0000 nor (as UTF-8) an unpaired surrogate.</summary>
    private static bool IsStorableText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (text[i] == '\0' || char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static Expression Compare(Expression left, Expression right, ExpressionType comparison)
    {
        if (left.Type != typeof(string))
        {
            return Expression.MakeBinary(comparison, left, right);
        }

        // Strings have no > operator in expression trees; string.Compare translates to SQL comparison.
        var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, left, right);
        return Expression.MakeBinary(comparison, compare, Expression.Constant(0));
    }

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
