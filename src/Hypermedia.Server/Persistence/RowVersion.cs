using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hypermedia.Server.Persistence;

public static class RowVersion
{
    /// <summary>
    /// Maps <paramref name="version"/> to PostgreSQL's <c>xmin</c> system column: the id of the transaction
    /// that last wrote the row, so it changes with every update and needs no column of ours (nor a
    /// migration). As a concurrency token it makes an update of a row that changed since it was read
    /// fail instead of overwriting; it is also what resource ETags are made from.
    /// </summary>
    public static void HasRowVersion<TEntity>(this EntityTypeBuilder<TEntity> builder, Expression<Func<TEntity, uint>> version)
        where TEntity : class =>
        builder.Property(version).HasColumnName("xmin").HasColumnType("xid").ValueGeneratedOnAddOrUpdate().IsConcurrencyToken();
}
