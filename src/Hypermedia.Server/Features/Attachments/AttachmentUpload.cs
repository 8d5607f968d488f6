using System.Globalization;
using Hypermedia.Server.Platform.Errors;

namespace Hypermedia.Server.Features.Attachments;

/// <summary>
/// Reads a direct upload: <c>multipart/form-data</c> with one <c>file</c> part, its type from a
/// <c>content_type</c> field or else the part's own header, held to the attachment size limit.
/// </summary>
public static class AttachmentUpload
{
    public static async Task<AttachmentIntake.Offered> ReadAsync(HttpRequest request)
    {
        if (!request.HasFormContentType || !(request.ContentType ?? "").StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.UnsupportedMediaType(request.ContentType);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            throw ApiException.BadRequest("The multipart body could not be read: " + e.Message);
        }

        var validator = new Validator();
        if (form.Files.Count > AttachmentRequests.MaxPerMessage)
        {
            validator.Add("file", string.Create(CultureInfo.InvariantCulture, $"at most {AttachmentRequests.MaxPerMessage} file may be uploaded per request; {form.Files.Count} were given"));
        }

        var file = form.Files.GetFile("file");
        if (file is null)
        {
            validator.Add("file", "is required: the file, as a multipart/form-data part named file");
        }

        var declared = form.TryGetValue("content_type", out var field) || form.TryGetValue("contentType", out field) ? field.ToString() : file?.ContentType;
        var contentType = AttachmentRequests.ContentType(validator, "contentType", declared);
        if (file is not null && file.Length >= AttachmentTypes.SizeLimit)
        {
            validator.Add("file", string.Create(CultureInfo.InvariantCulture, $"the file is {file.Length:N0} bytes; an attachment must be under {AttachmentTypes.SizeLimit:N0} bytes (525 KB)"));
        }

        validator.ThrowIfInvalid();
        using var buffer = new MemoryStream((int)file!.Length);
        await file.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return new AttachmentIntake.Offered(buffer.ToArray(), contentType!, file.FileName, SourceUrl: null);
    }
}
