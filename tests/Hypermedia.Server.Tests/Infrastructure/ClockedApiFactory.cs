using Hypermedia.Server.Platform;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>The app on a clock that tests can move forward, for behaviour that depends on elapsed time.</summary>
public sealed class ClockedApiFactory : ApiFactory
{
    public ShiftedClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }
}

/// <summary>
/// The app's own clock plus an offset. It keeps running (rows written by other code stay in order)
/// and keeps the app's microsecond precision; a test moves it by days instead of waiting.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private readonly MicrosecondTimeProvider real = new();
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => real.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public void Reset() => Interlocked.Exchange(ref offsetTicks, 0);
}
