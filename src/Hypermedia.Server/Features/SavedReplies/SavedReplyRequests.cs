using System.Text.Json;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.SavedReplies;

/// <summary>The fields of a saved reply as a client writes them; omitted ones stay as they are on a PUT.</summary>
[Writes<SavedReplyResource>]
public sealed record SavedReplyFields(
    [property: RequiredToCreate] string? Title, [property: RequiredToCreate] string? Content, bool? Shared, JsonElement? Attachments);

/// <summary>
/// <c>POST /users/{id}/saved_replies</c> and <c>PUT /saved_replies/{id}</c>: the fields wrapped in
/// <c>saved_reply</c>, as TextUs sends them, or bare; not both.
/// </summary>
[Writes<SavedReplyResource>]
public sealed record SavedReplyRequest(string? Title, string? Content, bool? Shared, JsonElement? Attachments, [property: Instruction] SavedReplyFields? SavedReply)
{
    public SavedReplyFields Fields(Validator validator)
    {
        if (SavedReply is null)
        {
            return new SavedReplyFields(Title, Content, Shared, Attachments);
        }

        if (Title is not null || Content is not null || Shared is not null || Attachments is not null)
        {
            validator.Add("savedReply", "give the fields inside saved_reply or bare, not both");
        }

        return SavedReply;
    }
}

/// <summary>A saved reply's fields, checked: null members were not given.</summary>
public sealed record ValidSavedReply(string? Title, string? Content, bool? Shared, IReadOnlyList<SavedReplyFile>? Attachments);

/// <summary>How a saved reply names a file: the IRI of an attachment, or its key (TextUs sends the key of an uploaded file).</summary>
public sealed record SavedReplyFile(string Field, string? Iri, string? Key);

public static class SavedReplyRules
{
    public const int MaxTitle = 255;

    /// <summary>A message carries one file, so a reply that is sent as one does too.</summary>
    public const int MaxAttachments = 1;

    public static ValidSavedReply Validate(Validator validator, SavedReplyFields fields, bool creating)
    {
        var title = fields.Title is null && !creating ? null : validator.Text("title", fields.Title, MaxTitle);
        var content = fields.Content is null && !creating ? null : validator.Text("content", fields.Content, MessageRules.MaxBodyLength);
        return new ValidSavedReply(title, content, fields.Shared, Files(validator, fields.Attachments));
    }

    private static List<SavedReplyFile>? Files(Validator validator, JsonElement? attachments)
    {
        switch (attachments)
        {
            case null:
                return null;
            case { ValueKind: JsonValueKind.Null }:
                return [];
            case { ValueKind: JsonValueKind.Array } array when array.GetArrayLength() > MaxAttachments:
                validator.Add("attachments", $"a saved reply carries at most {MaxAttachments} attachment (a message sends one); {array.GetArrayLength()} were given");
                return null;
            case { ValueKind: JsonValueKind.Array } array:
                return [.. array.EnumerateArray().Select((entry, i) => File(validator, $"attachments[{i}]", entry)).OfType<SavedReplyFile>()];
            default:
                validator.Add("attachments", "must be an array of attachments (an attachment's IRI, or {id} or {key})");
                return null;
        }
    }

    private static SavedReplyFile? File(Validator validator, string field, JsonElement entry)
    {
        if (entry.ValueKind == JsonValueKind.String)
        {
            return new SavedReplyFile(field, entry.GetString(), null);
        }

        if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            return new SavedReplyFile(field, id.GetString(), null);
        }

        if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String)
        {
            return new SavedReplyFile(field, null, key.GetString());
        }

        validator.Add(field, "must name an attachment you uploaded (POST /{account}/attachments): its IRI, {\"id\": IRI} or {\"key\": key}");
        return null;
    }
}
