using Hypermedia.Server.Platform.Outbound;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Tests.Platform.Outbound;

/// <summary>Fetchers as the app builds them, with the options a test needs and a log it can read.</summary>
internal static class Fetchers
{
    /// <summary>What the attachments feature passes: a file of 537,600 bytes or more is refused.</summary>
    public const long MaxBytes = 537_599;

    /// <summary>Allows 127.0.0.1, where <see cref="Infrastructure.LoopbackFileServer"/> listens.</summary>
    public static OutboundFetcher ForLoopback(int timeoutSeconds = 10, RecordingLogger? log = null) =>
        Create(new OutboundOptions { AllowedAddresses = ["127.0.0.1"], TimeoutSeconds = timeoutSeconds }, log);

    public static OutboundFetcher Create(OutboundOptions options, RecordingLogger? log = null) =>
        new(Options.Create(options), log ?? new RecordingLogger());

    /// <summary>The failure <paramref name="fetch"/> ends in; fails the test when it succeeds.</summary>
    public static Task<OutboundFetchException> FailureAsync(Func<Task> fetch) => Assert.ThrowsAsync<OutboundFetchException>(fetch);
}

/// <summary>Every entry the fetcher logs, rendered.</summary>
internal sealed class RecordingLogger : ILogger<OutboundFetcher>
{
    private readonly List<(LogLevel Level, string Message)> entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (entries)
        {
            entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
