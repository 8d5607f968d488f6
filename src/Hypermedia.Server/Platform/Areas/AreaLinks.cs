using Hypermedia.Server.Platform.Auth;

namespace Hypermedia.Server.Platform.Areas;

/// <summary>
/// A link an area adds to a resource of another area. <see cref="Iri"/> is the term's IRI (compact,
/// with the prefixes of the target type's context): it is added to that context, so the term is still
/// written down once, here.
/// </summary>
public abstract record AreaLink(string Term, string Iri, string Title, string RouteName);

/// <summary>A link on every Account to a route under <c>/{account}</c>.</summary>
public sealed record AccountLink(string Term, string Iri, string Title, string RouteName) : AreaLink(Term, Iri, Title, RouteName);

/// <summary>A link on the entry point; <see cref="RouteValues"/> fills the route from the caller.</summary>
public sealed record EntryPointLink(string Term, string Iri, string Title, string RouteName, Func<CallerIdentity, object>? RouteValues = null)
    : AreaLink(Term, Iri, Title, RouteName);
