namespace Hypermedia.Server.Features.BulkSends;

/// <summary>The <c>BulkSends</c> configuration section: how a bulk send is cut into jobs and chunks.</summary>
public sealed class BulkSendOptions
{
    public const string Section = "BulkSends";

    /// <summary>
    /// Recipients per fan-out job (the first, enqueued with the send, enqueues the others): 10,000 recipients make 10 jobs (at most
    /// <see cref="MaxJobs"/>), so several workers and several servers share a send.
    /// </summary>
    public int RecipientsPerJob { get; set; } = 1000;

    /// <summary>Jobs one bulk send is fanned out by, whatever its size.</summary>
    public int MaxJobs { get; set; } = 10;

    /// <summary>
    /// Recipients a job claims and writes in one transaction, then hands to the carrier: a crash loses at
    /// most one chunk's carrier calls to <c>unknown</c>.
    /// </summary>
    public int ChunkSize { get; set; } = 250;
}
