using System.ComponentModel;
using System.Diagnostics;

namespace Hypermedia.Server.Platform.LocalPostgres;

/// <summary>What a finished process printed and returned.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Both streams, for error messages: PostgreSQL tools print the useful part to either.</summary>
    public string Output => string.Join(Environment.NewLine,
        new[] { StandardOutput.Trim(), StandardError.Trim() }.Where(s => s.Length > 0));
}

/// <summary>
/// Runs a program to completion with its output captured and a time limit, optionally as another user
/// (via <c>runuser</c>, because PostgreSQL refuses to run as root).
/// </summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        string? runAsUser,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var argumentList = arguments.ToList();
        var startInfo = new ProcessStartInfo
        {
            FileName = runAsUser is null ? program : "runuser",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The root user's current directory may be unreadable for the user we switch to.
            WorkingDirectory = "/",
        };
        if (runAsUser is not null)
        {
            foreach (var prefix in new[] { "-u", runAsUser, "--", program })
            {
                startInfo.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in argumentList)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', new[] { startInfo.FileName }.Concat(startInfo.ArgumentList).Select(Quote));

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not run `{commandLine}`: {e.Message}", e);
        }

        // Nothing should wait for console input (e.g. a password prompt).
        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited just now.
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s."
                + Environment.NewLine + await Drain(standardOutput) + await Drain(standardError));
        }

        return new ProcessResult(commandLine, process.ExitCode, await Drain(standardOutput), await Drain(standardError));
    }

    /// <summary>
    /// A background child that kept our pipe open (pg_ctl's server should not, as it logs to a file) would
    /// block the read forever; give up on its output rather than hang.
    /// </summary>
    private static async Task<string> Drain(Task<string> read)
    {
        try
        {
            return await read.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            return "(output unavailable: still held open by a child process)";
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '\\' or '$')
            ? argument
            : "'" + argument.Replace("'", "'\\''") + "'";
}
