using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Platform.Areas;

/// <summary>The links areas add to the Account and the entry point, gathered once at start.</summary>
public sealed class ResourceLinks(IEnumerable<IApiArea> areas, Iris iris)
{
    public const string AccountType = "Account";
    public const string EntryPointType = "EntryPoint";

    private readonly AccountLink[] accountLinks = [.. areas.SelectMany(a => a.AccountLinks)];
    private readonly EntryPointLink[] entryPointLinks = [.. areas.SelectMany(a => a.EntryPointLinks)];

    /// <summary>The terms the links add to each type's context: (type, term, IRI).</summary>
    public static IEnumerable<(string TypeName, string Term, string Iri)> ContextTerms(IEnumerable<IApiArea> areas) =>
        areas.SelectMany(a => a.AccountLinks.Select(l => (AccountType, l.Term, l.Iri))
            .Concat(a.EntryPointLinks.Select(l => (EntryPointType, l.Term, l.Iri))));

    public Dictionary<string, object?> ForAccount(string accountSlug)
    {
        var values = new RouteValueDictionary { [AccountAccess.RouteValue] = accountSlug };
        var result = new Dictionary<string, object?>(accountLinks.Length, StringComparer.Ordinal);
        foreach (var link in accountLinks)
        {
            result[link.Term] = iris.For(link.RouteName, values);
        }

        return result;
    }

    public Dictionary<string, object?> ForEntryPoint(CallerIdentity caller)
    {
        var result = new Dictionary<string, object?>(entryPointLinks.Length, StringComparer.Ordinal);
        foreach (var link in entryPointLinks)
        {
            result[link.Term] = iris.For(link.RouteName, link.RouteValues?.Invoke(caller) ?? new RouteValueDictionary());
        }

        return result;
    }

    /// <summary>Documents the links as properties of the classes they are added to.</summary>
    public void Describe(ApiDescriptionRegistry registry)
    {
        foreach (var link in accountLinks)
        {
            registry.AddProperty(AccountType, new PropertyDescription(link.Term, link.Title));
        }

        foreach (var link in entryPointLinks)
        {
            registry.AddProperty(EntryPointType, new PropertyDescription(link.Term, link.Title));
        }
    }
}
