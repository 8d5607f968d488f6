namespace Hypermedia.JsonLd;

/// <summary>A <c>hydra:Collection</c>: one page of members, the total, and links to other pages.</summary>
public sealed class HydraCollection<T>() : Resource("hydra:Collection")
{
    public required IReadOnlyList<T> Members { get; init; }

    public required long TotalItems { get; init; }

    public required PartialCollectionView View { get; init; }
}

/// <summary>Links from one page of a collection to its neighbours; <c>null</c> where there is none.</summary>
public sealed class PartialCollectionView() : Resource("hydra:PartialCollectionView")
{
    public required string First { get; init; }

    public string? Next { get; init; }

    public string? Previous { get; init; }
}
