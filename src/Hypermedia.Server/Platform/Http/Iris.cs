using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Hypermedia.Server.Platform.Http;

/// <summary>
/// Builds resource IRIs from named routes (never by string concatenation in handlers), and reads
/// IRIs that clients send back (<c>"parent": "/accounts/acme"</c>) against the same routes.
/// </summary>
public sealed class Iris(LinkGenerator links, EndpointDataSource endpoints)
{
    private readonly ConcurrentDictionary<string, TemplateMatcher> matchers = new();
    private readonly ConcurrentDictionary<string, PathTemplate?> templates = new();

    /// <summary>
    /// The path of the named route with <paramref name="values"/> as its parameters. A page of 25 contacts
    /// asks for about 200 IRIs, so routes of plain segments are filled in from a template read once from
    /// the route pattern, encoded as the link generator would; anything else goes to the link generator.
    /// </summary>
    public string For(string routeName, object values) =>
        (templates.GetOrAdd(routeName, PathTemplate.Of, endpoints) is { } template && template.TryBind(values, out var path)
            ? path
            : links.GetPathByName(routeName, values))
        ?? throw new InvalidOperationException($"No route named '{routeName}' accepts {values}.");

    /// <summary>The route value <paramref name="key"/> of an IRI of the named route (relative or absolute), or null.</summary>
    public string? Match(string? iri, string routeName, string key)
    {
        if (string.IsNullOrWhiteSpace(iri) || iri.Length > 2048)
        {
            return null;
        }

        var path = Uri.TryCreate(iri, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute.AbsolutePath
            : iri.Split('?', '#')[0];
        if (!path.StartsWith('/'))
        {
            return null;
        }

        var values = new RouteValueDictionary();
        return Matcher(routeName).TryMatch(PathString.FromUriComponent(path), values)
            ? values[key]?.ToString()
            : null;
    }

    private TemplateMatcher Matcher(string routeName) => matchers.GetOrAdd(routeName, name =>
        new TemplateMatcher(TemplateParser.Parse(Named(endpoints, name).RoutePattern.RawText!), []));

    private static RouteEndpoint Named(EndpointDataSource endpoints, string name) =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == name);

    /// <summary>
    /// A route made of literal segments and whole-segment required parameters without constraints or
    /// defaults: the only kind whose path is the parameters' encoded values between the literals.
    /// </summary>
    private sealed class PathTemplate
    {
        private readonly (string? Literal, string? Parameter)[] parts;
        private readonly int parameterCount;
        private readonly string? constant;

        private PathTemplate((string?, string?)[] parts, int parameterCount)
        {
            this.parts = parts;
            this.parameterCount = parameterCount;
            constant = parameterCount == 0 ? Build([]) : null;
        }

        public static PathTemplate? Of(string routeName, EndpointDataSource endpoints)
        {
            var pattern = Named(endpoints, routeName).RoutePattern;
            if (pattern.Defaults.Count > 0 || pattern.ParameterPolicies.Count > 0 || pattern.RequiredValues.Count > 0)
            {
                return null;
            }

            var parts = new List<(string?, string?)>();
            foreach (var segment in pattern.PathSegments)
            {
                switch (segment.Parts)
                {
                    case [RoutePatternLiteralPart literal]:
                        parts.Add((UrlEncoder.Default.Encode(literal.Content), null));
                        break;
                    case [RoutePatternParameterPart { IsOptional: false, IsCatchAll: false, Default: null, ParameterPolicies.Count: 0 } parameter]:
                        parts.Add((null, parameter.Name));
                        break;
                    default:
                        return null;
                }
            }

            return new PathTemplate([.. parts], parts.Count(p => p.Item2 is not null));
        }

        /// <summary>False when the link generator must decide: missing or empty values, or extra ones (it would add a query).</summary>
        public bool TryBind(object values, out string? path)
        {
            path = constant;
            var dictionary = values as RouteValueDictionary ?? new RouteValueDictionary(values);
            if (dictionary.Count != parameterCount)
            {
                return false;
            }

            if (constant is not null)
            {
                return true;
            }

            var bound = new string[parameterCount];
            var index = 0;
            foreach (var (_, parameter) in parts)
            {
                if (parameter is null)
                {
                    continue;
                }

                if (!dictionary.TryGetValue(parameter, out var value)
                    || Convert.ToString(value, CultureInfo.InvariantCulture) is not { Length: > 0 } text)
                {
                    return false;
                }

                bound[index++] = UrlEncoder.Default.Encode(text);
            }

            path = Build(bound);
            return true;
        }

        private string Build(string[] bound)
        {
            if (parts.Length == 0)
            {
                return "/";
            }

            var length = 0;
            var index = 0;
            foreach (var (literal, _) in parts)
            {
                length += 1 + (literal ?? bound[index++]).Length;
            }

            return string.Create(length, (parts, bound), static (span, state) =>
            {
                var (parts, bound) = state;
                var (position, index) = (0, 0);
                foreach (var (literal, _) in parts)
                {
                    span[position++] = '/';
                    var text = literal ?? bound[index++];
                    text.CopyTo(span[position..]);
                    position += text.Length;
                }
            });
        }
    }
}
