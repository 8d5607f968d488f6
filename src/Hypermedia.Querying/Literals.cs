using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.OData.Edm;

namespace Hypermedia.Querying;

/// <summary>Literal values from the client: normalisation, conversion, and how they enter the expression tree.</summary>
internal static class Literals
{
    /// <summary>
    /// The value the binder works with, or false for literal kinds that are not supported.
    /// Date-times become UTC because Npgsql rejects timestamptz parameters with a non-zero offset;
    /// an Edm.Date means midnight UTC of that day.
    /// </summary>
    public static bool TryNormalize(object value, out object normalized)
    {
        normalized = value switch
        {
            string or bool or int or long or float or double or decimal or Guid => value,
            short or byte or sbyte => Convert.ToInt32(value, CultureInfo.InvariantCulture),
            DateTimeOffset dateTime => dateTime.ToUniversalTime(),
            Date date => new DateTimeOffset(date.Year, date.Month, date.Day, 0, 0, 0, TimeSpan.Zero),
            _ => null!,
        };
        return normalized is not null;
    }

    /// <summary>Converts a normalised literal to <paramref name="target"/> (a non-nullable type) without losing information.</summary>
    public static bool TryConvert(object value, Type target, out object converted)
    {
        converted = value;
        var source = value.GetType();
        if (source == target)
        {
            return true;
        }

        if (value is DateTimeOffset dateTime && target == typeof(DateTime))
        {
            converted = dateTime.UtcDateTime;
            return true;
        }

        if (!ClrTypes.IsNumeric(source) || !ClrTypes.IsNumeric(target))
        {
            return false;
        }

        try
        {
            // 5.5 must not silently become 6 when compared with an integer member.
            if (ClrTypes.IsIntegral(target) && !ClrTypes.IsIntegral(source))
            {
                var exact = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                if (exact != decimal.Truncate(exact))
                {
                    return false;
                }
            }

            converted = Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>
    /// A literal as it goes into the tree. Member access on a constant box is what a C# closure looks like,
    /// so EF Core sends the value as a SQL parameter: one cached query plan per filter shape, not per value.
    /// </summary>
    public static Expression Parameter(object? value, Type type)
    {
        var box = Activator.CreateInstance(typeof(StrongBox<>).MakeGenericType(type), value)!;
        return Expression.Field(Expression.Constant(box), nameof(StrongBox<object>.Value));
    }
}
