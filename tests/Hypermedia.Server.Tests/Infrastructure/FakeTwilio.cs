using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>One request to the fake's Messages.json, as it arrived.</summary>
public sealed record FakeTwilioRequest(
    string AccountSid, string? From, string? To, string? Body, string? StatusCallback, string? Authorization, IReadOnlyList<string>? MediaUrls = null,
    string? ContentSid = null, string? ContentVariables = null);

/// <summary>What the fake answers a text to one number.</summary>
public abstract record FakeTwilioAnswer
{
    /// <summary>201 with the message and a new SID (or <paramref name="Sid"/>).</summary>
    public sealed record Accept(string? Sid = null) : FakeTwilioAnswer;

    /// <summary>An error in Twilio's JSON shape: status, Twilio error code and message.</summary>
    public sealed record Error(int Status, int Code, string Message) : FakeTwilioAnswer;

    /// <summary>Holds the request open until <see cref="FakeTwilioHang.Release"/> (or the caller gives up).</summary>
    public sealed record Hang(FakeTwilioHang Gate) : FakeTwilioAnswer;

    public static FakeTwilioAnswer InvalidNumber { get; } = new Error(400, 21211, "The 'To' number is not a valid phone number.");

    public static FakeTwilioAnswer ServerError { get; } = new Error(500, 20500, "An internal server error has occurred.");

    public static FakeTwilioAnswer TooManyRequests { get; } = new Error(429, 20429, "Too Many Requests");
}

/// <summary>A request held open: <see cref="Arrived"/> completes when it is in; <see cref="Release"/> answers it.</summary>
public sealed class FakeTwilioHang
{
    private readonly TaskCompletionSource<FakeTwilioRequest> arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<FakeTwilioAnswer> released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<FakeTwilioRequest> Arrived => arrived.Task;

    /// <summary>True once the client stopped waiting (timeout, cancellation, a killed process).</summary>
    public bool Abandoned { get; private set; }

    public void Release(FakeTwilioAnswer? answer = null) => released.TrySetResult(answer ?? new FakeTwilioAnswer.Accept());

    internal async Task<FakeTwilioAnswer?> WaitAsync(FakeTwilioRequest request, CancellationToken aborted)
    {
        arrived.TrySetResult(request);
        try
        {
            return await released.Task.WaitAsync(aborted);
        }
        catch (OperationCanceledException)
        {
            Abandoned = true;
            return null;
        }
    }
}

/// <summary>
/// Twilio's Messages API as a real HTTP server on loopback (Kestrel, port 0), for the Twilio carrier to
/// call through <c>Carriers:Twilio:ApiBaseUrl</c>. Records every request; answers per recipient number
/// (201 by default).
/// </summary>
public sealed class FakeTwilio : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, FakeTwilioAnswer> answers = new(StringComparer.Ordinal);
    private readonly List<FakeTwilioRequest> received = [];
    private readonly Lock gate = new();
    private TaskCompletionSource arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeTwilio(WebApplication app) => this.app = app;

    public Uri BaseUrl => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<FakeTwilioRequest> Received
    {
        get
        {
            lock (gate)
            {
                return [.. received];
            }
        }
    }

    public static FakeTwilio Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeTwilio(app);
        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", fake.CreateMessageAsync);
        app.StartAsync().GetAwaiter().GetResult();
        return fake;
    }

    /// <summary>How to answer texts to <paramref name="to"/> from now on.</summary>
    public void AnswerFor(string to, FakeTwilioAnswer answer) => answers[to] = answer;

    /// <summary>Holds texts to <paramref name="to"/> open until released.</summary>
    public FakeTwilioHang HangFor(string to)
    {
        var hang = new FakeTwilioHang();
        AnswerFor(to, new FakeTwilioAnswer.Hang(hang));
        return hang;
    }

    /// <summary>The first request to <paramref name="to"/>, waiting for it to arrive.</summary>
    public async Task<FakeTwilioRequest> WaitForAsync(string to, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (received.FirstOrDefault(r => r.To == to) is { } request)
                {
                    return request;
                }

                next = arrival.Task;
            }

            await next.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var answer in answers.Values.OfType<FakeTwilioAnswer.Hang>())
        {
            answer.Gate.Release();
        }

        await app.DisposeAsync();
    }

    private async Task CreateMessageAsync(HttpContext http, string sid)
    {
        var form = await http.Request.ReadFormAsync();
        var request = new FakeTwilioRequest(sid, form["From"], form["To"], form["Body"], form["StatusCallback"], http.Request.Headers.Authorization, [.. form["MediaUrl"].OfType<string>()],
            form["ContentSid"], form["ContentVariables"]);
        lock (gate)
        {
            received.Add(request);
            arrival.TrySetResult();
            arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var answer = request.To is not null && answers.TryGetValue(request.To, out var configured) ? configured : new FakeTwilioAnswer.Accept();
        if (answer is FakeTwilioAnswer.Hang hang)
        {
            answer = await hang.Gate.WaitAsync(request, http.RequestAborted);
            if (answer is null)
            {
                return;
            }
        }

        if (answer is FakeTwilioAnswer.Error error)
        {
            http.Response.StatusCode = error.Status;
            await http.Response.WriteAsJsonAsync(new Dictionary<string, object>
            {
                ["code"] = error.Code,
                ["message"] = error.Message,
                ["more_info"] = "https://www.twilio.com/docs/errors/" + error.Code.ToString(CultureInfo.InvariantCulture),
                ["status"] = error.Status,
            });
            return;
        }

        var messageSid = ((FakeTwilioAnswer.Accept)answer).Sid
            ?? "SM" + Guid.NewGuid().ToString("N"); // unique across fakes: tests share databases, and SIDs are unique per carrier
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, new Dictionary<string, object?>
        {
            ["sid"] = messageSid,
            ["account_sid"] = sid,
            ["from"] = request.From,
            ["to"] = request.To,
            ["body"] = request.Body,
            ["status"] = "queued",
            ["direction"] = "outbound-api",
            ["num_segments"] = "1",
        });
    }
}
