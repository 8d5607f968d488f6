using System.Text.Json;
using Hypermedia.Server.Features.WhatsApp;
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
    [property: RequiredToCreate] JsonElement? To, string? Body, string? From, JsonElement? Attachments, [property: Instruction] string? SavedReply,
    string? Channel = null, [property: Instruction] TemplateSendRequest? Template = null);

/// <summary>
/// A send without an account in the path (<c>POST /messages</c>): <c>from</c> (a number of one of the
/// caller's accounts) or <c>email</c> (a user whose account sends) chooses the account.
/// </summary>
[Writes<MessageResource>]
public sealed record SendWithoutAccountRequest(
    [property: RequiredToCreate] JsonElement? To, string? Body, string? From, [property: Instruction] string? Email, JsonElement? Attachments,
    [property: Instruction] string? SavedReply, string? Channel = null, [property: Instruction] TemplateSendRequest? Template = null);

/// <summary>A scheduled send (<c>POST /{account}/messages/schedule</c>): a send from the account, at <c>scheduled_at</c> (RFC 3339, in the future).</summary>
[Writes<MessageResource>]
public sealed record ScheduleMessageRequest(
    [property: RequiredToCreate] JsonElement? To, string? Body, string? From, [property: RequiredToCreate] string? ScheduledAt, JsonElement? Attachments,
    [property: Instruction] string? SavedReply, string? Channel = null, [property: Instruction] TemplateSendRequest? Template = null);

/// <summary>
/// What a send says: its typed text (empty when none), the file it asks for, and the saved reply it is sent
/// from (its IRI); or, on WhatsApp, the template it is sent from. A send needs a body, an attachment, a saved
/// reply or a template; <see cref="MessageComposition"/> makes the message's text and file of the first three.
/// </summary>
public sealed record MessageContent(string Text, Attachments.AttachmentSpec? Attachment, string? SavedReply)
{
    /// <summary>sms (the default) or whatsapp.</summary>
    public string Channel { get; init; } = MessageChannels.Sms;

    /// <summary>The WhatsApp template the message is sent from; its body is then the template's, whatever <c>body</c> says.</summary>
    public TemplateSendRequest? Template { get; init; }

    public bool IsWhatsApp => Channel == MessageChannels.WhatsApp;

    public static MessageContent Read(
        Platform.Errors.Validator validator, string? body, JsonElement? attachments, string? savedReply, string? channel = null, TemplateSendRequest? template = null)
    {
        var chosenChannel = ReadChannel(validator, channel, template);
        var offersFile = attachments is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0;
        var reply = string.IsNullOrWhiteSpace(savedReply) ? null : savedReply.Trim();
        if (template is not null)
        {
            // The template is the message: nothing else may say what it says.
            if (offersFile)
            {
                validator.Add("attachments", "must be empty when sending a WhatsApp template: the template is the whole message");
            }

            if (reply is not null)
            {
                validator.Add("savedReply", "give a saved reply or a WhatsApp template, not both");
            }

            return new MessageContent("", null, null) { Channel = chosenChannel, Template = template };
        }

        var attachment = Attachments.AttachmentRequests.Read(validator, attachments);
        var text = validator.Text("body", body, MessageRules.MaxBodyLength, required: !offersFile && reply is null);
        return new MessageContent(text ?? "", attachment, reply) { Channel = chosenChannel };
    }

    private static string ReadChannel(Platform.Errors.Validator validator, string? channel, TemplateSendRequest? template)
    {
        var chosen = string.IsNullOrWhiteSpace(channel) ? MessageChannels.Sms : channel.Trim();
        if (!MessageChannels.All.Contains(chosen))
        {
            validator.Add("channel", $"must be one of {string.Join(", ", MessageChannels.All)}");
            return MessageChannels.Sms;
        }

        if (template is not null && chosen != MessageChannels.WhatsApp)
        {
            validator.Add("channel", "must be whatsapp to send a template: WhatsApp templates are sent over WhatsApp only");
        }

        return chosen;
    }
}
