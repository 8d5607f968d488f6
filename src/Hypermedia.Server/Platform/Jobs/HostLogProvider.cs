using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Hypermedia.Server.Platform.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide and points at the logger factory of the host that configured
/// it last. When that host has been disposed (several app hosts in one test process), Hangfire's
/// components would fail to create loggers and die; they log nothing instead.
/// </summary>
public sealed class HostLogProvider(ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
