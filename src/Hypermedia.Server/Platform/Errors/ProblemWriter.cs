using System.Text.Json;
using Hypermedia.JsonLd;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Hypermedia.Server.Platform.Errors;

/// <summary>Writes every error response: a hydra:Error that is also an RFC 9457 problem document.</summary>
public static class ProblemWriter
{
    public const string ProblemTypeBase = "https://hypermedia.dev/problems/";

    public static async Task WriteAsync(HttpContext context, int status, string? detail = null,
        IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var title = ReasonPhrases.GetReasonPhrase(status);
        var problem = new Problem
        {
            ProblemType = ProblemTypeBase + TypeSlug(status),
            Title = title,
            Status = status,
            Detail = detail ?? DefaultDetail(context, status, title),
            Instance = context.Request.Path.Value ?? "/",
            Errors = errors,
        };

        var mediaType = MediaTypes.NegotiateProblem(context.Request);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = mediaType + "; charset=utf-8";
        if (mediaType is MediaTypes.Problem or MediaTypes.Json)
        {
            response.Headers.Append("Link", $"<{problem.Context}>; rel=\"http://www.w3.org/ns/json-ld#context\"");
        }

        await JsonSerializer.SerializeAsync(response.Body, problem, ApiJson.Response);
    }

    private static string TypeSlug(int status) => status switch
    {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        406 => "not-acceptable",
        409 => "conflict",
        412 => "precondition-failed",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        422 => "validation",
        429 => "rate-limited",
        _ => status >= 500 ? "server-error" : "client-error",
    };

    private static string DefaultDetail(HttpContext context, int status, string title) => status switch
    {
        401 => "A valid API token is required: send 'Authorization: Bearer <token>' (or Basic email:token).",
        403 => "Your role does not allow this action.",
        404 => $"Nothing is served at {context.Request.Path}, or it is not available to you.",
        405 => $"{context.Request.Method} is not allowed on {context.Request.Path}; see the Allow header.",
        _ => title + ".",
    };
}
