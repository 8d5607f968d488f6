using System.Text.Json;
using Hypermedia.Server.Platform.Errors;

namespace Hypermedia.Server.Features.Attachments;

/// <summary>What a send asks to attach: a file to fetch (TextUs's <c>{media_url, content_type}</c>) or one uploaded before (its IRI).</summary>
public abstract record AttachmentSpec(string Field)
{
    public sealed record Fetch(string Field, Uri MediaUrl, string ContentType) : AttachmentSpec(Field);

    public sealed record Named(string Field, string Iri) : AttachmentSpec(Field);
}

/// <summary>
/// Reads a send's <c>attachments</c>: an array of at most one entry, each <c>{media_url, content_type}</c>
/// (camelCase accepted too) or the IRI of an uploaded attachment (a string, or <c>{id}</c>). Every broken
/// rule is named by its field (<c>attachments[0].contentType</c>); nothing is fetched here.
/// </summary>
public static class AttachmentRequests
{
    public const int MaxPerMessage = 1;

    public static AttachmentSpec? Read(Validator validator, JsonElement? attachments)
    {
        switch (attachments)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return null;
            case { ValueKind: JsonValueKind.Array } array when array.GetArrayLength() == 0:
                return null;
            case { ValueKind: JsonValueKind.Array } array when array.GetArrayLength() > MaxPerMessage:
                validator.Add("attachments", $"at most {MaxPerMessage} attachment may be sent per message; {array.GetArrayLength()} were given");
                return null;
            case { ValueKind: JsonValueKind.Array } array:
                return Entry(validator, "attachments[0]", array[0]);
            default:
                validator.Add("attachments", "must be an array of attachments ({media_url, content_type}, or an uploaded attachment's IRI)");
                return null;
        }
    }

    private static AttachmentSpec? Entry(Validator validator, string field, JsonElement entry)
    {
        if (entry.ValueKind == JsonValueKind.String)
        {
            return new AttachmentSpec.Named(field, entry.GetString()!);
        }

        if (entry.ValueKind != JsonValueKind.Object)
        {
            validator.Add(field, "must be an object {media_url, content_type}, or an uploaded attachment's IRI");
            return null;
        }

        if (Member(entry, "id") is { } id)
        {
            return Text(validator, field + ".id", id) is { } iri ? new AttachmentSpec.Named(field, iri) : null;
        }

        var urlValue = Member(entry, "media_url", "mediaUrl");
        var url = urlValue is { ValueKind: not JsonValueKind.String }
            ? NotText<Uri>(validator, field + ".mediaUrl")
            : MediaUrl(validator, field + ".mediaUrl", urlValue?.GetString());
        var typeValue = Member(entry, "content_type", "contentType");
        var contentType = typeValue is { ValueKind: not JsonValueKind.String }
            ? NotText<string>(validator, field + ".contentType")
            : ContentType(validator, field + ".contentType", typeValue?.GetString());
        return url is not null && contentType is not null ? new AttachmentSpec.Fetch(field, url, contentType) : null;
    }

    /// <summary>An absolute http(s) URL; whether its host is public is the outbound guard's to decide when it fetches.</summary>
    private static Uri? MediaUrl(Validator validator, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            validator.Add(field, "is required: the public http(s) URL of the file");
            return null;
        }

        if (text.Length > 2048 || !Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.IsFile)
        {
            validator.Add(field, "must be an absolute http or https URL");
            return null;
        }

        return url;
    }

    /// <summary>One of the accepted types, canonical; required (the bytes are checked against it).</summary>
    public static string? ContentType(Validator validator, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            validator.Add(field, $"is required: the file's media type, one of {AttachmentTypes.AcceptedList}");
            return null;
        }

        if (AttachmentTypes.Canonical(text) is not { } canonical)
        {
            validator.Add(field, $"'{Clip(text)}' is not accepted; it must be one of {AttachmentTypes.AcceptedList}");
            return null;
        }

        return canonical;
    }

    /// <summary>The first of <paramref name="names"/> the entry has (TextUs's snake_case or camelCase), unless null.</summary>
    private static JsonElement? Member(JsonElement entry, params string[] names)
    {
        foreach (var name in names)
        {
            if (entry.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                return value;
            }
        }

        return null;
    }

    private static string? Text(Validator validator, string field, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() : NotText<string>(validator, field);

    private static T? NotText<T>(Validator validator, string field)
        where T : class
    {
        validator.Add(field, "must be a string");
        return null;
    }

    private static string Clip(string text) => text.Length > 100 ? text[..100] + "…" : text;
}
