using System.Globalization;
using System.Net;
using System.Text.Json;
using Hangfire.Dashboard;
using Hangfire.Server;

namespace Hypermedia.Server.Platform.Jobs;

/// <summary>
/// How far a long job has got, kept as its Hangfire job parameter <c>progress</c> and shown as a box on
/// its dashboard page: "4,210 / 10,000 recipients", a bar, and a link to the resource the job works on.
/// </summary>
/// <param name="Resource">The IRI of what the job works on (a bulk send), linked from the job page.</param>
public sealed record JobProgress(int Done, int Total, string Unit, string? Resource)
{
    public const string Parameter = "progress";

    /// <summary>Done out of total in whole percent (a job with nothing to do is done).</summary>
    public int Percent => Total <= 0 ? 100 : (int)Math.Clamp(100L * Done / Total, 0, 100);

    /// <summary>"4,210 / 10,000 recipients".</summary>
    public string Text => string.Create(CultureInfo.InvariantCulture, $"{Done:N0} / {Total:N0} {Unit}");

    /// <summary>Records the progress on the running job (Hangfire stores it at once, visible to every server's dashboard).</summary>
    public void ReportTo(PerformContext? context) => context?.SetJobParameter(Parameter, this);

    /// <summary>The progress a job's parameters hold, or null (none, or not written by <see cref="ReportTo"/>).</summary>
    public static JobProgress? From(IDictionary<string, string>? parameters)
    {
        if (parameters is null || !parameters.TryGetValue(Parameter, out var json) || string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<JobProgress>(json, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    /// <summary>A Bootstrap progress bar with the text, as the dashboard's pages style them.</summary>
    public string ToHtml() => string.Create(CultureInfo.InvariantCulture, $"""
        <div class="hm-progress">
          <div class="hm-progress-text">{WebUtility.HtmlEncode(Text)} ({Percent}%)</div>
          <div class="progress"><div class="progress-bar" role="progressbar" aria-valuemin="0" aria-valuemax="{Total}" aria-valuenow="{Done}" style="width: {Percent}%"></div></div>
        </div>
        """);

    /// <summary>The box on a job's page: the progress and the link to the resource; the page reloads every 5 s while the job processes.</summary>
    internal static NonEscapedString RenderJobBox(JobDetailsRendererDto dto)
    {
        if (From(dto.JobDetails.Properties) is not { } progress)
        {
            return new NonEscapedString(string.Empty);
        }

        var processing = dto.JobDetails.History?.FirstOrDefault()?.StateName == "Processing" && progress.Done < progress.Total;
        var resource = progress.Resource is null
            ? ""
            : $"""<p>Works on <a href="{WebUtility.HtmlEncode(progress.Resource)}">{WebUtility.HtmlEncode(progress.Resource)}</a></p>""";
        var reload = processing ? Dashboard.DashboardMarkup.ReloadSoon : "";
        return new NonEscapedString($"""
            <h3 id="job-progress">Progress</h3>
            {progress.ToHtml()}
            {resource}
            {reload}
            """);
    }
}
