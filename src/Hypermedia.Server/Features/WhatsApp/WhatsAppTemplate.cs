using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;

namespace Hypermedia.Server.Features.WhatsApp;

/// <summary>
/// A WhatsApp message template of an account (TextUs <c>WhatsApp::Template</c>): a body with placeholders that
/// WhatsApp approved (or will review) for starting conversations outside the 24-hour window. Created
/// <see cref="WhatsAppTemplateStatuses.Pending"/>; staff approve or reject it. Deleting it only marks it
/// (<see cref="DeletedAt"/>), so messages sent from it keep showing it.
/// </summary>
public sealed class WhatsAppTemplate
{
    public long Id { get; set; }

    /// <summary>Unique across accounts: the last segment of its IRI, and the bare id TextUs clients send (<c>template.id</c>).</summary>
    public required string Slug { get; set; }

    public long AccountId { get; set; }

    public Account? Account { get; set; }

    /// <summary>WhatsApp's template name (lower-case letters, digits, underscores); unique with the language among the account's live templates.</summary>
    public required string Title { get; set; }

    /// <summary>WhatsApp's language code: en, en_US, pt_BR.</summary>
    public required string Language { get; set; }

    /// <summary>One of <see cref="WhatsAppTemplateStatuses.All"/>.</summary>
    public required string Status { get; set; }

    /// <summary>WhatsApp's quality rating (<see cref="WhatsAppTemplateQualities.All"/>), null until rated.</summary>
    public string? Quality { get; set; }

    /// <summary>The carrier's content id (a Twilio Content SID, HX…), null until the content exists there.</summary>
    public string? ContentSid { get; set; }

    /// <summary>One of <see cref="WhatsAppContentTypes.All"/>.</summary>
    public required string ContentType { get; set; }

    /// <summary><c>{"body": …, "quickReplies": [{"id", "title"}]}</c> as jsonb, written by <see cref="WhatsAppTemplateRules"/>.</summary>
    public required string Content { get; set; }

    /// <summary>One of <see cref="WhatsAppTemplateCategories.All"/>, or null.</summary>
    public string? Category { get; set; }

    /// <summary><c>[{"name", "type", "example", "personalizationVariable", "fallback"}]</c> as jsonb, in the order given.</summary>
    public required string Variables { get; set; }

    /// <summary>The user who created it; null for the demo seed's when its user is gone, or a user removed since.</summary>
    public long? CreatedById { get; set; }

    public User? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When its content, status or quality last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When an admin deleted it; null while it is live (listed, and reviewable).</summary>
    public DateTimeOffset? DeletedAt { get; set; }
}

public static class WhatsAppTemplateStatuses
{
    public const string Approved = "approved";
    public const string Pending = "pending";
    public const string Rejected = "rejected";

    public static readonly string[] All = [Approved, Pending, Rejected];
}

public static class WhatsAppTemplateQualities
{
    public const string High = "high";
    public const string Medium = "medium";
    public const string Low = "low";

    public static readonly string[] All = [High, Medium, Low];
}

/// <summary>The content types whose content this server models (Twilio's twilio/text and twilio/quick-reply).</summary>
public static class WhatsAppContentTypes
{
    public const string Text = "text";
    public const string QuickReply = "quick_reply";

    public static readonly string[] All = [Text, QuickReply];
}

/// <summary>WhatsApp's template categories.</summary>
public static class WhatsAppTemplateCategories
{
    public static readonly string[] All = ["marketing", "utility", "authentication"];
}

/// <summary>What a template variable's value comes from.</summary>
public static class WhatsAppVariableTypes
{
    /// <summary>Text the send gives (<c>variable_values</c>), written <c>{{appt_date}}</c>.</summary>
    public const string Text = "text";

    /// <summary>A personalization variable of the account, written as one: <c>{{contact.firstName}}</c>.</summary>
    public const string PersonalizationVariable = "personalization_variable";

    public static readonly string[] All = [Text, PersonalizationVariable];
}
