using System.Text.Json;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// A send from an account (<c>POST /{account}/messages</c>): <c>to</c> is a number, or an array of
/// numbers (two or more make a bulk send, 202); <c>from</c> picks one of the account's numbers (its first by default).
/// <c>body</c> is required unless <c>attachments</c> carries a file or <c>saved_reply</c> names a saved reply
/// (see <see cref="MessageContent"/>).
/// </summary>
[Writes<MessageResource>]
public sealed record SendMessageRequest(
    [property: RequiredToCreate] JsonElement? To, string? Body, string? From, JsonElement? Attachments, [property: Instruction] string? SavedReply);

/// <summary>
/// A send without an account in the path (<c>POST /messages</c>): <c>from</c> (a number of one of the
/// caller's accounts) or <c>email</c> (a user whose account sends) chooses the account.
/// </summary>
[Writes<MessageResource>]
public sealed record SendWithoutAccountRequest(
    [property: RequiredToCreate] JsonElement? To, string? Body, string? From, [property: Instruction] string? Email, JsonElement? Attachments,
    [property: Instruction] string? SavedReply);

/// <summary>A scheduled send (<c>POST /{account}/messages/schedule</c>): a send from the account, at <c>scheduled_at</c> (RFC 3339, in the future).</summary>
[Writes<MessageResource>]
public sealed record ScheduleMessageRequest(
    [property: RequiredToCreate] JsonElement? To, string? Body, string? From, [property: RequiredToCreate] string? ScheduledAt, JsonElement? Attachments,
    [property: Instruction] string? SavedReply);

/// <summary>
/// What a send says: its typed text (empty when none), the file it asks for, and the saved reply it is sent
/// from (its IRI). A send needs a body, an attachment or a saved reply; <see cref="MessageComposition"/> makes
/// the message's text and file of them.
/// </summary>
public sealed record MessageContent(string Text, Attachments.AttachmentSpec? Attachment, string? SavedReply)
{
    public static MessageContent Read(Platform.Errors.Validator validator, string? body, JsonElement? attachments, string? savedReply)
    {
        var attachment = Attachments.AttachmentRequests.Read(validator, attachments);
        var offersFile = attachments is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0;
        var reply = string.IsNullOrWhiteSpace(savedReply) ? null : savedReply.Trim();
        var text = validator.Text("body", body, MessageRules.MaxBodyLength, required: !offersFile && reply is null);
        return new MessageContent(text ?? "", attachment, reply);
    }
}
