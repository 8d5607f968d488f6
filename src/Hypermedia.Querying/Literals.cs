using System.Linq.Expressions;
using System.Reflection;

namespace Hypermedia.Querying;

/// <summary>
/// The last step after the library binds an option: every part of a lambda that reads no row (a literal, or
/// literals combined, such as <c>1 div 0</c> or <c>contains(null, 'x')</c>) is evaluated here, once, so a failure
/// is the client's 400 instead of an exception inside EF Core; and timestamps become UTC, because clients may
/// write any offset but Npgsql sends only UTC to timestamptz. Each value becomes a member of a constant holder,
/// which EF Core sends as a SQL parameter.
/// </summary>
internal static class Literals
{
    public static IQueryable<T> Evaluate<T>(IQueryable<T> query)
    {
        var rewritten = new Evaluator().Visit(query.Expression)!;
        return ReferenceEquals(rewritten, query.Expression) ? query : query.Provider.CreateQuery<T>(rewritten);
    }

    private static object? ToUtc(object? value) => value switch
    {
        DateTimeOffset d => d.ToUniversalTime(),
        DateTime { Kind: DateTimeKind.Local } d => d.ToUniversalTime(),
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        IEnumerable<DateTimeOffset> list => list.Select(d => d.ToUniversalTime()).ToList(),
        IEnumerable<DateTimeOffset?> list => list.Select(d => d?.ToUniversalTime()).ToList(),
        _ => value,
    };

    private static Expression Parameter(object? value, Type type) => QueryParameter.For(ToUtc(value), type);

    private sealed class Evaluator : ExpressionVisitor
    {
        private int lambdaDepth;

        public override Expression? Visit(Expression? node)
        {
            if (node is null || lambdaDepth == 0 || node is LambdaExpression || ReadsARow(node))
            {
                return base.Visit(node);
            }

            if (node is ConstantExpression { Value: null } || !IsLiteralType(node.Type))
            {
                return base.Visit(node);
            }

            // A literal the library already made a parameter (a member of a constant holder) needs no
            // evaluation; compiling one costs far more than the rest of this pass.
            if (node is MemberExpression { Expression: ConstantExpression { Value: { } holder } } member)
            {
                return HoldsTimestamps(node.Type) ? Parameter(Read(member.Member, holder), node.Type) : node;
            }

            object? value;
            try
            {
                value = Expression.Lambda(node).Compile(preferInterpretation: true).DynamicInvoke();
            }
            catch (TargetInvocationException error)
            {
                throw new InvalidLiteralException(Reason(error.InnerException));
            }

            return Parameter(value, node.Type);
        }

        protected override Expression VisitLambda<TDelegate>(Expression<TDelegate> node)
        {
            lambdaDepth++;
            try
            {
                return base.VisitLambda(node);
            }
            finally
            {
                lambdaDepth--;
            }
        }

        private static object? Read(MemberInfo member, object holder) => member switch
        {
            PropertyInfo property => property.GetValue(holder),
            FieldInfo field => field.GetValue(holder),
            _ => throw new InvalidOperationException($"Unexpected member {member.Name}."),
        };

        private static bool HoldsTimestamps(Type type) => ValueType(type) is var item && (item == typeof(DateTimeOffset) || item == typeof(DateTime));

        /// <summary>The value a literal holds: the item of an 'in' list, without Nullable.</summary>
        private static Type ValueType(Type type)
        {
            var item = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : type;
            return Nullable.GetUnderlyingType(item) ?? item;
        }

        private static string Reason(Exception? error) => error switch
        {
            NullReferenceException or InvalidCastException => "null is used where a value is needed.",
            DivideByZeroException => "it divides by zero.",
            OverflowException => "a number is out of range.",
            ArgumentException => "a function is given an argument out of its range.",
            _ => "it cannot be evaluated.",
        };

        private static bool ReadsARow(Expression node) => new ParameterFinder().Finds(node);

        // Values, and lists of values (an 'in' list); never objects such as the row under construction.
        private static bool IsLiteralType(Type type)
        {
            var item = ValueType(type);
            return item.IsPrimitive || item.IsEnum || item == typeof(string) || item == typeof(decimal) || item == typeof(Guid)
                || item == typeof(DateTime) || item == typeof(DateTimeOffset) || item == typeof(DateOnly) || item == typeof(TimeOnly)
                || item == typeof(TimeSpan);
        }
    }

    private sealed class ParameterFinder : ExpressionVisitor
    {
        private bool found;

        public bool Finds(Expression node)
        {
            Visit(node);
            return found;
        }

        public override Expression? Visit(Expression? node) => found ? node : base.Visit(node);

        protected override Expression VisitParameter(ParameterExpression node)
        {
            found = true;
            return node;
        }

        // EF Core's query roots and other provider nodes are never literals.
        protected override Expression VisitExtension(Expression node)
        {
            found = true;
            return node;
        }
    }
}

/// <summary>A literal part of an option could not be evaluated (a division by zero, a null where a value is needed).</summary>
internal sealed class InvalidLiteralException(string message) : Exception(message);
