using System.Collections;
using System.Linq.Expressions;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Hypermedia.Querying;

/// <summary>
/// Translates ODL's bound $filter tree into a predicate EF Core can turn into SQL: member access, comparisons,
/// &amp;&amp;/||/!, null tests, string Contains/StartsWith/EndsWith/ToLower/ToUpper/Trim/Length and Enumerable.Contains.
/// Anything else is refused with a <see cref="QueryOptionException"/> rather than left for client evaluation.
/// </summary>
internal sealed class FilterBinder<TEntity>
{
    private const string Option = "$filter";

    private readonly EdmQueryModel<TEntity> model;
    private readonly string text;
    private readonly ParameterExpression parameter = Expression.Parameter(typeof(TEntity), "e");

    private FilterBinder(EdmQueryModel<TEntity> model, string text)
    {
        this.model = model;
        this.text = text;
    }

    public static Expression<Func<TEntity, bool>> Bind(EdmQueryModel<TEntity> model, SingleValueNode root, string text)
    {
        var binder = new FilterBinder<TEntity>(model, text);
        return Expression.Lambda<Func<TEntity, bool>>(binder.Predicate(root), binder.parameter);
    }

    private Expression Predicate(SingleValueNode node)
    {
        var operand = Bind(node);
        return operand switch
        {
            { Value: bool value } => Expression.Constant(value),
            { Expression.Type: var t } when t == typeof(bool) => operand.Expression!,

            // A nullable bool member on its own: OData treats null as "does not match".
            { Expression.Type: var t } when t == typeof(bool?) => Expression.Equal(operand.Expression!, Expression.Constant(true, typeof(bool?))),
            _ => throw Error("$filter must be a condition that is true or false, e.g. name eq 'x'.", null),
        };
    }

    private Operand Bind(SingleValueNode node) => node switch
    {
        ConstantNode constant => BindConstant(constant),
        ConvertNode convert => BindConvert(convert),
        SingleValuePropertyAccessNode property => BindProperty(property),
        BinaryOperatorNode binary => BindBinary(binary),
        UnaryOperatorNode unary => BindUnary(unary),
        SingleValueFunctionCallNode function => BindFunction(function),
        InNode @in => BindIn(@in),
        ParameterAliasNode => throw Error("Parameter aliases (@name) are not supported in $filter.", Find("@", false)),
        CountVirtualPropertyNode => throw Error("$count is not supported inside $filter.", Find("$count", false)),
        ResourceRangeVariableReferenceNode or NonResourceRangeVariableReferenceNode =>
            throw Error("$it is not supported in $filter; compare properties instead.", Find("$it", false)),
        _ => throw Error("Only comparisons, and/or/not, in and the supported functions may be used in $filter.", null),
    };

    private Operand BindConstant(ConstantNode node)
    {
        if (node.Value is null)
        {
            return Operand.Null;
        }

        if (!Literals.TryNormalize(node.Value, out var value))
        {
            var at = Find(node.LiteralText, false);
            throw Error($"Unsupported literal '{Messages.Echo(node.LiteralText)}' in $filter{Messages.At(at)}; use text, numbers, booleans, guids, dates or date-times.", at);
        }

        return value is string s ? Operand.Literal(CheckText(s)) : Operand.Literal(value);
    }

    // PostgreSQL cannot store NUL or broken UTF-16, and 'in' lists decode \u escapes after the raw text was checked.
    private string CheckText(string value) =>
        QueryText.FindInvalidCharacter(value) < 0
            ? value
            : throw Error("Text in $filter may not contain control characters or invalid Unicode.", null);

    private Operand BindProperty(SingleValuePropertyAccessNode node)
    {
        if (node.Source is not ResourceRangeVariableReferenceNode
            || !model.Properties.TryGetValue(node.Property.Name, out var property))
        {
            throw Error("Type casts and property paths are not supported in $filter; use the property names directly.", null);
        }

        return Operand.Of(property.BodyFor(parameter));
    }

    private Operand BindConvert(ConvertNode node)
    {
        var inner = Bind(node.Source);
        if (inner.IsNull)
        {
            return inner;
        }

        var target = ClrTypes.ForEdmKind(node.TypeReference?.PrimitiveKind() ?? EdmPrimitiveTypeKind.None)
            ?? throw Error("This conversion is not supported in $filter.", null);
        if (inner.IsLiteral)
        {
            return Literals.TryConvert(inner.Value!, target, out var converted)
                ? Operand.Literal(converted)
                : throw Mismatch(inner.Type, target);
        }

        // ODL inserts conversions for nullability and numeric promotion; DateTime members stand in for Edm.DateTimeOffset.
        var source = ClrTypes.Underlying(inner.Type);
        if (source == target || (source == typeof(DateTime) && target == typeof(DateTimeOffset)))
        {
            return inner;
        }

        if (ClrTypes.IsNumeric(source) && ClrTypes.IsNumeric(target))
        {
            var type = ClrTypes.CanBeNull(inner.Type) ? ClrTypes.MakeNullable(target) : target;
            return Operand.Of(Expression.Convert(inner.Expression!, type), inner.NullRoots);
        }

        throw Mismatch(inner.Type, target);
    }

    private Operand BindBinary(BinaryOperatorNode node) => node.OperatorKind switch
    {
        BinaryOperatorKind.And => Operand.Of(Expression.AndAlso(Predicate(node.Left), Predicate(node.Right))),
        BinaryOperatorKind.Or => Operand.Of(Expression.OrElse(Predicate(node.Left), Predicate(node.Right))),
        BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual
            or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
            or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual => Compare(node.OperatorKind, Bind(node.Left), Bind(node.Right)),
        _ => throw Unsupported(Keyword(node.OperatorKind)),
    };

    private Operand Compare(BinaryOperatorKind kind, Operand left, Operand right)
    {
        var keyword = Keyword(kind);
        var equality = kind is BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual;
        if (left.IsNull || right.IsNull)
        {
            return equality
                ? CompareWithNull(kind == BinaryOperatorKind.Equal, left.IsNull ? right : left)
                : throw Error($"null can only be compared with eq or ne in $filter.", Find(keyword, true));
        }

        var (l, r) = Unify(left, right);
        if (!equality && !ClrTypes.IsOrderable(l.Type))
        {
            var at = Find(keyword, true);
            throw Error($"Operator '{keyword}' in $filter{Messages.At(at)} cannot order {ClrTypes.Describe(l.Type)} values; use eq, ne or in.", at);
        }

        var comparison = Expression.MakeBinary(ExpressionTypeOf(kind), l, r);
        var roots = NullGuards.Union(left.NullRoots, right.NullRoots);
        if (roots.IsEmpty)
        {
            return Operand.Of(comparison);
        }

        // A function result is null when its argument is: "null ne 'x'" is true in OData, "null eq 'x'" is not.
        return Operand.Of(kind == BinaryOperatorKind.NotEqual
            ? Expression.OrElse(NullGuards.AnyNull(roots), comparison)
            : Expression.AndAlso(NullGuards.AllNotNull(roots), comparison));
    }

    private static Operand CompareWithNull(bool equal, Operand other)
    {
        if (other.IsNull || other.IsLiteral)
        {
            return Operand.Literal(other.IsNull == equal);
        }

        if (!other.NullRoots.IsEmpty)
        {
            return Operand.Of(equal ? NullGuards.AnyNull(other.NullRoots) : NullGuards.AllNotNull(other.NullRoots));
        }

        // `x == null` (lifted for value types) is what EF Core turns into IS NULL.
        var type = ClrTypes.MakeNullable(other.Type);
        var value = ConvertTo(other.Expression!, type);
        var none = Expression.Constant(null, type);
        return Operand.Of(equal ? Expression.Equal(value, none) : Expression.NotEqual(value, none));
    }

    /// <summary>Brings both sides to one type; literals are converted as values so no conversion reaches SQL.</summary>
    private (Expression Left, Expression Right) Unify(Operand left, Operand right)
    {
        if (left.IsLiteral && right.IsLiteral)
        {
            var type = left.Type == right.Type ? left.Type
                : ClrTypes.IsNumeric(left.Type) && ClrTypes.IsNumeric(right.Type) ? ClrTypes.Wider(left.Type, right.Type)
                : throw Mismatch(left.Type, right.Type);
            return (LiteralAs(left, type), LiteralAs(right, type));
        }

        if (left.IsLiteral)
        {
            return (LiteralAs(left, right.Type), right.Expression!);
        }

        if (right.IsLiteral)
        {
            return (left.Expression!, LiteralAs(right, left.Type));
        }

        var (l, r) = (left.Expression!, right.Expression!);
        if (l.Type == r.Type)
        {
            return (l, r);
        }

        var (lu, ru) = (ClrTypes.Underlying(l.Type), ClrTypes.Underlying(r.Type));
        var target = lu == ru ? lu
            : ClrTypes.IsNumeric(lu) && ClrTypes.IsNumeric(ru) ? ClrTypes.Wider(lu, ru)
            : throw Mismatch(l.Type, r.Type);
        if (ClrTypes.CanBeNull(l.Type) || ClrTypes.CanBeNull(r.Type))
        {
            target = ClrTypes.MakeNullable(target);
        }

        return (ConvertTo(l, target), ConvertTo(r, target));
    }

    private Expression LiteralAs(Operand literal, Type type) =>
        Literals.TryConvert(literal.Value!, ClrTypes.Underlying(type), out var value)
            ? Literals.Parameter(value, type)
            : throw Error($"The value '{Messages.Echo(Convert.ToString(literal.Value, System.Globalization.CultureInfo.InvariantCulture))}' in $filter cannot be compared with {ClrTypes.Describe(type)}.", null);

    private static Expression ConvertTo(Expression expression, Type type) =>
        expression.Type == type ? expression : Expression.Convert(expression, type);

    private Operand BindUnary(UnaryOperatorNode node)
    {
        if (node.OperatorKind != UnaryOperatorKind.Not)
        {
            throw Error("Arithmetic is not supported in $filter.", null);
        }

        var operand = Bind(node.Operand);
        return operand switch
        {
            { Value: bool value } => Operand.Literal(!value),
            { Expression.Type: var t } when t == typeof(bool) => Operand.Of(Expression.Not(operand.Expression!)),

            // not(null) is null, which does not match: only an explicit false does.
            { Expression.Type: var t } when t == typeof(bool?) => Operand.Of(Expression.Equal(operand.Expression!, Expression.Constant(false, typeof(bool?)))),
            _ => throw Error("'not' in $filter must be applied to a condition.", Find("not", true)),
        };
    }

    private Operand BindFunction(SingleValueFunctionCallNode node)
    {
        var name = node.Name;
        if (!FilterFunctions.Names.Contains(name))
        {
            var at = Find(name, false);
            throw Error($"Unsupported function '{Messages.Echo(name)}' in $filter{Messages.At(at)}; supported functions: {string.Join(", ", FilterFunctions.Names)}.", at);
        }

        var args = new List<Operand>();
        foreach (var parameterNode in node.Parameters)
        {
            var arg = parameterNode is SingleValueNode single ? Bind(single) : Operand.Null;
            if (arg.IsNull || arg.Type != typeof(string))
            {
                var at = Find(name, true);
                throw Error($"Function '{name}' in $filter{Messages.At(at)} accepts only text arguments that are not null.", at);
            }

            args.Add(arg);
        }

        if (args.Count != FilterFunctions.Arity(name))
        {
            throw Error($"Function '{name}' in $filter takes {FilterFunctions.Arity(name)} argument(s).", Find(name, true));
        }

        return FilterFunctions.Bind(name, args);
    }

    private Operand BindIn(InNode node)
    {
        var left = Bind(node.Left);
        if (left.IsNull || node.Right is not CollectionConstantNode list)
        {
            var at = Find("in", true);
            throw Error($"'in' in $filter{Messages.At(at)} needs a property on the left and a list of literals on the right, e.g. name in ('a', 'b').", at);
        }

        var values = list.Collection.Select(item => item.Value is null ? null : BindConstant(item).Value).ToList();
        var elementType = values.Contains(null) ? ClrTypes.MakeNullable(left.Type) : left.Type;
        var typed = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        foreach (var value in values)
        {
            typed.Add(value is null ? null
                : Literals.TryConvert(value, ClrTypes.Underlying(elementType), out var converted) ? converted
                : throw Mismatch(value.GetType(), elementType));
        }

        var item = left.IsLiteral ? LiteralAs(left, elementType) : ConvertTo(left.Expression!, elementType);
        var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [elementType], Literals.Parameter(typed, typed.GetType()), item);
        return Operand.Of(NullGuards.Guard(contains, left.NullRoots));
    }

    private static string Keyword(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Equal => "eq",
        BinaryOperatorKind.NotEqual => "ne",
        BinaryOperatorKind.GreaterThan => "gt",
        BinaryOperatorKind.GreaterThanOrEqual => "ge",
        BinaryOperatorKind.LessThan => "lt",
        BinaryOperatorKind.LessThanOrEqual => "le",
        BinaryOperatorKind.Add => "add",
        BinaryOperatorKind.Subtract => "sub",
        BinaryOperatorKind.Multiply => "mul",
        BinaryOperatorKind.Divide => "div",
        BinaryOperatorKind.Modulo => "mod",
        BinaryOperatorKind.Has => "has",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static ExpressionType ExpressionTypeOf(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Equal => ExpressionType.Equal,
        BinaryOperatorKind.NotEqual => ExpressionType.NotEqual,
        BinaryOperatorKind.GreaterThan => ExpressionType.GreaterThan,
        BinaryOperatorKind.GreaterThanOrEqual => ExpressionType.GreaterThanOrEqual,
        BinaryOperatorKind.LessThan => ExpressionType.LessThan,
        _ => ExpressionType.LessThanOrEqual,
    };

    private int? Find(string? token, bool unique) =>
        string.IsNullOrEmpty(token) ? null : QueryText.FindToken(text, token, unique);

    private QueryOptionException Unsupported(string keyword)
    {
        var at = Find(keyword, false);
        return Error($"Operator '{keyword}' is not supported in $filter{Messages.At(at)}; arithmetic and 'has' cannot be used.", at);
    }

    private static QueryOptionException Mismatch(Type left, Type right) =>
        Error($"$filter cannot compare {ClrTypes.Describe(left)} with {ClrTypes.Describe(right)}.", null);

    private static QueryOptionException Error(string message, int? position) => new(Option, message, position);
}
