using Hypermedia.Server.Features.Personalization;
using Hypermedia.Server.Platform.Errors;

namespace Hypermedia.Server.Features.WhatsApp;

/// <summary>
/// The demo account's WhatsApp: its number and two templates, the seed example's approved
/// <c>appointment_reminder</c> (slug dkDdrbR, as TextUs clients name it) and a pending one. They pass the
/// same rules as a POST.
/// </summary>
public static class WhatsAppDemo
{
    public const string PhoneNumber = "+13035550110";
    public const string ReminderSlug = "dkDdrbR";
    public const string ReminderContentSid = "HXabcdef1234567890abcdef1234567890";

    public static readonly CreateWhatsAppTemplateRequest Reminder = new(
        Title: "appointment_reminder",
        Language: "en_US",
        ContentSid: ReminderContentSid,
        ContentType: WhatsAppContentTypes.QuickReply,
        Content: new TemplateContentRequest(
            """Hi {{contact.firstName | default: "there"}}, please confirm your appointment on {{appt_date}} at {{appt_time}}:""",
            [new QuickReplyRequest("confirm", "Confirm"), new QuickReplyRequest("cancel", "Cancel")]),
        Category: "utility",
        Variables:
        [
            new TemplateVariableRequest("contact.firstName", WhatsAppVariableTypes.PersonalizationVariable, null, "contact.firstName", "there"),
            new TemplateVariableRequest("appt_date", WhatsAppVariableTypes.Text, "1/1", null, null),
            new TemplateVariableRequest("appt_time", WhatsAppVariableTypes.Text, "12:00", null, null),
        ]);

    public static readonly CreateWhatsAppTemplateRequest OrderUpdate = new(
        Title: "order_update",
        Language: "en_US",
        ContentSid: null,
        ContentType: WhatsAppContentTypes.Text,
        Content: new TemplateContentRequest("Your order {{order_number}} has shipped. Reply here with any questions.", null),
        Category: "utility",
        Variables: [new TemplateVariableRequest("order_number", WhatsAppVariableTypes.Text, "A-1001", null, null)]);

    /// <summary>The demo's templates: the reminder approved with quality high, the order update pending.</summary>
    public static IEnumerable<WhatsAppTemplate> Templates(long accountId, long adminId, DateTimeOffset now)
    {
        var reminder = WhatsAppApi.New(Checked(Reminder), accountId, adminId, now);
        reminder.Slug = ReminderSlug;
        reminder.Status = WhatsAppTemplateStatuses.Approved;
        reminder.Quality = WhatsAppTemplateQualities.High;
        return [reminder, WhatsAppApi.New(Checked(OrderUpdate), accountId, adminId, now)];
    }

    private static TemplateDraft Checked(CreateWhatsAppTemplateRequest request)
    {
        var validator = new Validator();
        // A new account has no custom fields: only the built-in variables.
        return WhatsAppTemplateRules.Read(validator, request, PersonalizationVariables.Of([], []))
            ?? throw new InvalidOperationException($"The demo template {request.Title} breaks the template rules.");
    }
}
