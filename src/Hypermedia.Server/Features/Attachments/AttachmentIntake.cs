using System.Globalization;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Outbound;
using MetadataExtractor;
using MetadataExtractor.Formats.Gif;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Attachments;

/// <summary>
/// Turns what a send or an upload offers into an <see cref="Attachment"/> of the account: fetched through
/// the outbound guard (public hosts only, at most the size limit read), or looked up by IRI; then checked
/// (size, declared type against the bytes, image dimensions), stored once by key, and recorded. Every
/// refusal is a 422 on the field that offered the file.
/// </summary>
public sealed class AttachmentIntake(HypermediaDbContext db, OutboundFetcher fetcher, IBlobStore blobs, Iris iris, TimeProvider clock)
{
    /// <summary>The attachment <paramref name="spec"/> asks for, or null when it asks for none.</summary>
    public async Task<Attachment?> ResolveAsync(AttachmentSpec? spec, Account account, long userId, CancellationToken cancellationToken) => spec switch
    {
        null => null,
        AttachmentSpec.Named named => await NamedAsync(named, account, cancellationToken),
        AttachmentSpec.Fetch fetch => await FetchAsync(fetch, account, userId, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(spec)),
    };

    /// <summary>An attachment of this account by its IRI; anything else (another account's, unknown, not an IRI) is the same 422.</summary>
    private async Task<Attachment> NamedAsync(AttachmentSpec.Named named, Account account, CancellationToken cancellationToken)
    {
        var slug = iris.Match(named.Iri, AttachmentsApi.AttachmentRoute, "id");
        return (slug is null ? null : await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Slug == slug && a.AccountId == account.Id, cancellationToken))
            ?? throw ApiException.Invalid(named.Field, $"'{Clip(named.Iri)}' is not an attachment of this account (upload it with POST /{account.Slug}/attachments)");
    }

    /// <summary>
    /// <paramref name="file"/> as an attachment of <paramref name="account"/>: itself when it is the account's,
    /// else a record of the account for the same stored bytes (a saved reply's file sent from another of its
    /// owner's accounts), so members of the sending account see the file of their message.
    /// </summary>
    public async Task<Attachment> ForAccountAsync(Attachment file, Account account, long userId, CancellationToken cancellationToken)
    {
        if (file.AccountId == account.Id)
        {
            return file;
        }

        var copy = new Attachment
        {
            Slug = Slugs.New(),
            AccountId = account.Id,
            Key = file.Key,
            ContentType = file.ContentType,
            Size = file.Size,
            Width = file.Width,
            Height = file.Height,
            OriginalFilename = file.OriginalFilename,
            SourceUrl = file.SourceUrl,
            CreatedById = userId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Attachments.Add(copy);
        await db.SaveChangesAsync(cancellationToken);
        return copy;
    }

    private async Task<Attachment> FetchAsync(AttachmentSpec.Fetch fetch, Account account, long userId, CancellationToken cancellationToken)
    {
        var field = fetch.Field + ".mediaUrl";
        FetchedFile file;
        try
        {
            file = await fetcher.FetchAsync(fetch.MediaUrl, AttachmentTypes.SizeLimit - 1, cancellationToken);
        }
        catch (OutboundFetchException e) when (e.Failure == OutboundFailure.TooLarge)
        {
            throw ApiException.Invalid(field, $"{Clip(fetch.MediaUrl.ToString())} is too large: {TooLarge}");
        }
        catch (OutboundFetchException e)
        {
            throw ApiException.Invalid(field, $"{Clip(fetch.MediaUrl.ToString())} could not be used: {e.Message}");
        }

        return await StoreAsync(new Offered(file.Content, fetch.ContentType, file.FileName, fetch.MediaUrl.ToString()), account, userId, field, cancellationToken);
    }

    /// <summary>Bytes offered for an account: the file, its declared (canonical) type, its name and where it came from.</summary>
    public sealed record Offered(byte[] Content, string ContentType, string? FileName, string? SourceUrl);

    /// <summary>Checks the bytes, stores them under their key (once) and records the attachment.</summary>
    public async Task<Attachment> StoreAsync(Offered offered, Account account, long userId, string field, CancellationToken cancellationToken)
    {
        if (offered.Content.Length >= AttachmentTypes.SizeLimit)
        {
            throw ApiException.Invalid(field, $"the file is {offered.Content.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes: {TooLarge}");
        }

        if (offered.Content.Length == 0 || !AttachmentTypes.Matches(offered.ContentType, offered.Content))
        {
            throw ApiException.Invalid(field, $"the file is not {offered.ContentType}: its content does not match the declared content type");
        }

        var (width, height) = AttachmentTypes.IsImage(offered.ContentType) ? Dimensions(offered, field) : (null, null);
        var key = AttachmentKeys.For(offered.Content, offered.ContentType);
        await blobs.PutAsync(key, offered.Content, cancellationToken);
        var attachment = new Attachment
        {
            Slug = Slugs.New(),
            AccountId = account.Id,
            Key = key,
            ContentType = offered.ContentType,
            Size = offered.Content.Length,
            Width = width,
            Height = height,
            OriginalFilename = FileName(offered.FileName),
            SourceUrl = offered.SourceUrl,
            CreatedById = userId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Attachments.Add(attachment);
        await db.SaveChangesAsync(cancellationToken);
        return attachment;
    }

    private static readonly string TooLarge =
        $"an attachment must be under {AttachmentTypes.SizeLimit.ToString("N0", CultureInfo.InvariantCulture)} bytes (525 KB)";

    /// <summary>An image's width and height from its header; an image whose header cannot be read is refused.</summary>
    private static (int? Width, int? Height) Dimensions(Offered offered, string field)
    {
        try
        {
            using var stream = new MemoryStream(offered.Content, writable: false);
            var directories = ImageMetadataReader.ReadMetadata(stream);
            return offered.ContentType switch
            {
                "image/png" => Size(directories.OfType<PngDirectory>().FirstOrDefault(d => d.Name == "PNG-IHDR"), PngDirectory.TagImageWidth, PngDirectory.TagImageHeight),
                "image/jpeg" => Size(directories.OfType<JpegDirectory>().FirstOrDefault(), JpegDirectory.TagImageWidth, JpegDirectory.TagImageHeight),
                "image/gif" => Size(directories.OfType<GifHeaderDirectory>().FirstOrDefault(), GifHeaderDirectory.TagImageWidth, GifHeaderDirectory.TagImageHeight),
                _ => (null, null),
            };
        }
        catch (ImageProcessingException)
        {
            throw ApiException.Invalid(field, $"the file is not a readable {offered.ContentType} image");
        }
    }

    private static (int?, int?) Size(MetadataExtractor.Directory? directory, int widthTag, int heightTag) =>
        directory is not null && directory.TryGetInt32(widthTag, out var width) && directory.TryGetInt32(heightTag, out var height)
            ? (width, height)
            : (null, null);

    /// <summary>The file's own name, without any path, at most 255 characters; null when there is none.</summary>
    private static string? FileName(string? name)
    {
        var bare = name is null ? null : Path.GetFileName(name.Replace('\\', '/')).Trim();
        return string.IsNullOrEmpty(bare) ? null : bare.Length > 255 ? bare[..255] : bare;
    }

    private static string Clip(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
