using System.Text.Json;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// A send from an account (<c>POST /{account}/messages</c>): <c>to</c> is a number, or an array of
/// numbers (two or more make a bulk send, 202); <c>from</c> picks one of the account's numbers (its first by default).
/// <c>body</c> is required unless <c>attachments</c> carries a file (see <see cref="MessageContent"/>).
/// </summary>
[Writes<MessageResource>]
public sealed record SendMessageRequest([property: RequiredToCreate] JsonElement? To, string? Body, string? From, JsonElement? Attachments);

/// <summary>
/// A send without an account in the path (<c>POST /messages</c>): <c>from</c> (a number of one of the
/// caller's accounts) or <c>email</c> (a user whose account sends) chooses the account.
/// </summary>
[Writes<MessageResource>]
public sealed record SendWithoutAccountRequest(
    [property: RequiredToCreate] JsonElement? To, string? Body, string? From, [property: Instruction] string? Email, JsonElement? Attachments);

/// <summary>A scheduled send (<c>POST /{account}/messages/schedule</c>): a send from the account, at <c>scheduled_at</c> (RFC 3339, in the future).</summary>
[Writes<MessageResource>]
public sealed record ScheduleMessageRequest(
    [property: RequiredToCreate] JsonElement? To, string? Body, string? From, [property: RequiredToCreate] string? ScheduledAt, JsonElement? Attachments);

/// <summary>What a send says: its text and the file it carries. A send needs a body, an attachment, or both.</summary>
public sealed record MessageContent(string Text, Attachments.AttachmentSpec? Attachment)
{
    public static MessageContent Read(Platform.Errors.Validator validator, string? body, JsonElement? attachments)
    {
        var attachment = Attachments.AttachmentRequests.Read(validator, attachments);
        var offersFile = attachments is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0;
        var text = validator.Text("body", body, MessageRules.MaxBodyLength, required: !offersFile);
        return new MessageContent(text ?? "", attachment);
    }
}
