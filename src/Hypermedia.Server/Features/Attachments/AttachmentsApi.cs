using Hypermedia.JsonLd;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Hypermedia.Server.Features.Attachments;

/// <summary>
/// Attachments: uploading one for a later send, listing and reading an account's, downloading one
/// (members of its account), and the public media URL carriers fetch a message's file from.
/// </summary>
public sealed class AttachmentsApi : IApiArea
{
    public const string AttachmentRoute = "attachment";
    public const string AccountAttachmentsRoute = "accountAttachments";
    public const string DownloadRoute = "attachmentDownload";
    public const string MediaRoute = "media";

    public IEnumerable<AccountLink> AccountLinks =>
        [new("attachments", "vocab:attachments", "Upload a file to send later by its IRI; the account's attachments", AccountAttachmentsRoute)];

    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.Section);
        services.AddSingleton<IBlobStore, LocalFolderBlobStore>();
        services.AddScoped<AttachmentIntake>();
    }

    public void MapRoutes(AreaRoutes routes)
    {
        routes.Account.MapGet("/attachments", List).WithName(AccountAttachmentsRoute)
            .Documented("Account.attachments", "List the account's attachments, newest first")
            .Produces<HydraCollection<AttachmentResource>>().ProducesProblems(404);
        routes.Account.MapPost("/attachments", Upload)
            .Documented("Account.attachments", "Upload a file (multipart/form-data: file, and content_type unless the part has one); 201 with the Attachment, to send by its IRI")
            .Produces<AttachmentResource>(201).ProducesProblems(400, 404, 413, 415, 422);

        var api = routes.Authenticated;
        api.MapGet("/attachments/{id}", Get).WithName(AttachmentRoute)
            .Documented("Attachment", "Get an attachment")
            .Produces<AttachmentResource>().ProducesProblems(404);
        api.MapGet("/attachments/{id}/download", Download).WithName(DownloadRoute)
            .Documented("Attachment.downloadUrl", "Download the file, with its content type")
            .ProducesProblems(404);
        routes.Anonymous.MapGet("/media/{key}", Media).AllowAnonymous().WithName(MediaRoute)
            .OutsideTheApi("carriers fetching a message's file (MediaUrl)");
    }

    /// <summary>Attachments of the caller's accounts; another account's is not there (404).</summary>
    private static IQueryable<Attachment> Visible(HypermediaDbContext db, AccountAccess access)
    {
        var accounts = access.MemberAccountIds();
        return db.Attachments.Where(a => accounts.Contains(a.AccountId));
    }

    private static async Task<IResult> List(AccountMember member, HttpRequest request, HypermediaDbContext db, Iris iris)
    {
        var accountId = member.Account.Id;
        return ApiResults.Ok(await db.Attachments.Where(a => a.AccountId == accountId)
            .PageAsync(request, AttachmentQueries.Model, AttachmentQueries.NewestFirst, a => AttachmentResource.Of(a, iris)));
    }

    private static async Task<IResult> Get(string id, HypermediaDbContext db, AccountAccess access, Iris iris, CancellationToken cancellationToken) =>
        ApiResults.Ok(AttachmentResource.Of(await FindAsync(id, db, access, cancellationToken), iris));

    private static async Task<Attachment> FindAsync(string id, HypermediaDbContext db, AccountAccess access, CancellationToken cancellationToken) =>
        await Visible(db, access).AsNoTracking().SingleOrDefaultAsync(a => a.Slug == id, cancellationToken) ?? throw ApiException.NotFound("attachment");

    private static async Task<IResult> Upload(AccountMember member, HttpRequest request, AttachmentIntake intake, AccountAccess access, Iris iris)
    {
        var upload = await AttachmentUpload.ReadAsync(request);
        var attachment = await intake.StoreAsync(upload, member.Account, access.CallerId, "file", request.HttpContext.RequestAborted);
        return ApiResults.Created(AttachmentResource.Of(attachment, iris));
    }

    private static async Task<IResult> Download(string id, HttpContext http, HypermediaDbContext db, AccountAccess access, IBlobStore blobs)
    {
        var attachment = await FindAsync(id, db, access, http.RequestAborted);
        return Serve(http, blobs, attachment.Key, attachment.ContentType, attachment.OriginalFilename ?? attachment.Key);
    }

    /// <summary>
    /// The file by its key, to anyone: carriers fetch a message's media with no token. A key is the hash of
    /// the file, so naming one takes having the file; what is served is only what an account accepted.
    /// </summary>
    private static async Task<IResult> Media(string key, HttpContext http, HypermediaDbContext db, IBlobStore blobs)
    {
        var contentType = AttachmentKeys.IsWellFormed(key)
            ? await db.Attachments.Where(a => a.Key == key).Select(a => a.ContentType).FirstOrDefaultAsync(http.RequestAborted)
            : null;
        if (contentType is null)
        {
            throw ApiException.NotFound("media");
        }

        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Serve(http, blobs, key, contentType, downloadName: null);
    }

    /// <summary>The stored bytes with their type, never sniffed by a browser, never run as a page.</summary>
    private static IResult Serve(HttpContext http, IBlobStore blobs, string key, string contentType, string? downloadName)
    {
        var stream = blobs.Open(key) ?? throw ApiException.NotFound("attachment file");
        http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        http.Response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'; sandbox";
        return Results.Stream(stream, contentType, downloadName, enableRangeProcessing: false);
    }
}
