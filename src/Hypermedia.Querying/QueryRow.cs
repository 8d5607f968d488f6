namespace Hypermedia.Querying;

/// <summary>
/// A collection's query row: public properties named (in PascalCase) after the members' JSON names, which is what
/// clients may filter and order by, plus the entity the row was projected from. The EDM model is built from the row
/// type, so the names a client writes in $filter are the names it reads in the documents.
/// </summary>
public abstract class QueryRow<TEntity>
{
    // A field, not a property: the EDM model builder maps properties only, so the entity stays out of the model.
#pragma warning disable SA1401, CA1051
    public required TEntity Entity;
#pragma warning restore SA1401, CA1051
}
