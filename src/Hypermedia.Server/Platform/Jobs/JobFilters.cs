using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Platform.Jobs;

/// <summary>
/// The filters this server's jobs run with: Hangfire's global ones, with its default ten-attempt retry
/// replaced by the configured one. Per host rather than a change to Hangfire's global filter list, which
/// every host in a process shares (and which workers read while another host would be changing it).
/// </summary>
public sealed class JobFilters(IOptions<JobsOptions> options) : IJobFilterProvider
{
    private readonly JobFilter retry = new(new AutomaticRetryAttribute
    {
        Attempts = options.Value.RetryAttempts,
        DelaysInSeconds = options.Value.RetryDelaysSeconds ?? JobsOptions.DefaultRetryDelaysSeconds,
        OnAttemptsExceeded = AttemptsExceededAction.Fail,
    }, JobFilterScope.Global, order: null);

    public IEnumerable<JobFilter> GetFilters(Job job) =>
        JobFilterProviders.Providers.GetFilters(job).Where(f => f.Instance is not AutomaticRetryAttribute).Append(retry);
}
