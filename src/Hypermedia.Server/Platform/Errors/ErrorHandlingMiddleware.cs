namespace Hypermedia.Server.Platform.Errors;

/// <summary>
/// Turns every failure into a problem document. Refusals (<see cref="ApiException"/>) keep their
/// status; Kestrel's own refusals (body too large, bad framing) keep theirs; anything else is a bug,
/// logged, and answered 500 without internals.
/// </summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            foreach (var (name, value) in e.Headers)
            {
                context.Response.Headers[name] = value;
            }

            await ProblemWriter.WriteAsync(context, e.Status, e.Detail, e.Errors);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            var detail = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is larger than the server accepts."
                : "The request could not be read.";
            await ProblemWriter.WriteAsync(context, e.StatusCode, detail);
        }
        catch (Exception e) when (!context.Response.HasStarted && DatabaseConflicts.AsConflict(e) is { } conflict)
        {
            logger.LogWarning(e, "Concurrent write conflict on {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await ProblemWriter.WriteAsync(context, conflict.Status, conflict.Detail);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await ProblemWriter.WriteAsync(context, StatusCodes.Status500InternalServerError,
                "The server failed to handle the request; it has been logged.");
        }
    }
}
