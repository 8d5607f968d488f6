using System.Net;
using System.Text.RegularExpressions;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>An operation as the API documentation lists it.</summary>
public sealed record DocumentedOperation(string Method, string Route, string Returns, int[] Statuses, string Expects = "http://www.w3.org/2002/07/owl#Nothing")
{
    /// <summary>Whether the operation reads a request body.</summary>
    public bool ReadsBody => !Expects.EndsWith("#Nothing", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Route}";

    /// <summary>Whether a concrete path fits the operation's route template.</summary>
    public bool Matches(string path) =>
        Regex.IsMatch(path.Split('?')[0], "^" + Regex.Replace(Regex.Escape(Route).Replace("\\{", "{"), "{[^}]+}", "[^/]+") + "$");
}

public static class DocumentedOperations
{
    public static async Task<List<DocumentedOperation>> DocumentedOperationsAsync(this ApiFactory api)
    {
        var doc = await (await api.CreateClient().GetAsync("/api_documentation")).ExpectAsync(HttpStatusCode.OK);
        var operations = new List<DocumentedOperation>();
        foreach (var supportedClass in doc["supportedClass"]!.AsArray())
        {
            var nodes = supportedClass!["supportedOperation"]!.AsArray()
                .Concat(supportedClass["supportedProperty"]!.AsArray().SelectMany(p => p!["property"]!["supportedOperation"]!.AsArray()));
            operations.AddRange(nodes.Select(o => new DocumentedOperation(
                (string)o!["method"]!, (string)o["route"]!, (string)o["returns"]!,
                o["possibleStatus"]!.AsArray().Select(s => (int)s!["statusCode"]!).ToArray(),
                (string)o["expects"]!)));
        }

        return operations;
    }
}
