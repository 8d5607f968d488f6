namespace Hypermedia.Querying;

/// <summary>One $orderby clause as the client asked for it (JSON property name and direction).</summary>
public sealed record OrderByItem(string Property, bool Descending);
