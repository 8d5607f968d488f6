using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Features.Attachments;

/// <summary>
/// Where attachment bytes live, by key (content-addressed: the same bytes always have the same key, so
/// a file is stored once however often it is sent). A local folder by default; an object store fits
/// behind the same two calls.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores the bytes under <paramref name="key"/> unless they are there already.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The stored bytes, or null when nothing is stored under <paramref name="key"/>.</summary>
    Stream? Open(string key);
}

/// <summary>The <c>Attachments</c> configuration section.</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>The blob folder; relative paths are under the content root.</summary>
    public string Directory { get; set; } = Path.Combine(".data", "attachments");
}

/// <summary>
/// Blobs as files in one folder. A write goes to a temporary file first and is moved into place, so a
/// reader never sees half a file and two writers of the same key both end with the same whole file.
/// </summary>
public sealed class LocalFolderBlobStore : IBlobStore
{
    private readonly string root;

    public LocalFolderBlobStore(IOptions<AttachmentOptions> options, IHostEnvironment environment)
    {
        root = Path.GetFullPath(options.Value.Directory, environment.ContentRootPath);
        System.IO.Directory.CreateDirectory(root);
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            return;
        }

        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, content.ToArray(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public Stream? Open(string key)
    {
        var path = PathOf(key);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16 * 1024, useAsync: true) : null;
    }

    /// <summary>Keys are hex and an extension (checked by the caller's route too): nothing can name a path outside the folder.</summary>
    private string PathOf(string key) =>
        AttachmentKeys.IsWellFormed(key) ? Path.Combine(root, key) : throw new ArgumentException($"'{key}' is not a blob key.", nameof(key));
}
