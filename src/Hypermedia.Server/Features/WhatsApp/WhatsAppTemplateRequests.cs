using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.WhatsApp;

/// <summary>
/// POST /{account}/whats_app/templates (admins): the template as WhatsApp reviews it; it starts pending.
/// TextUs snake_case names (content_sid, quick_replies, personalization_variable) are accepted too.
/// </summary>
[Writes<WhatsAppTemplateResource>]
public sealed record CreateWhatsAppTemplateRequest(
    [property: RequiredToCreate] string? Title,
    [property: RequiredToCreate] string? Language,
    string? ContentSid,
    [property: RequiredToCreate] string? ContentType,
    [property: RequiredToCreate] TemplateContentRequest? Content,
    string? Category,
    List<TemplateVariableRequest?>? Variables);

/// <summary>A template's content: its body with placeholders, and for quick_reply its buttons.</summary>
public sealed record TemplateContentRequest(string? Body, List<QuickReplyRequest?>? QuickReplies);

public sealed record QuickReplyRequest(string? Id, string? Title);

/// <summary>One placeholder of the body: a text the send gives, or a personalization variable of the account.</summary>
public sealed record TemplateVariableRequest(string? Name, string? Type, string? Example, string? PersonalizationVariable, string? Fallback);

/// <summary>PUT /whats_app/templates/{id}/status (staff operators): WhatsApp's verdict, and its quality rating when known.</summary>
[Writes<WhatsAppTemplateResource>]
public sealed record ReviewWhatsAppTemplateRequest(string? Status, string? Quality);
