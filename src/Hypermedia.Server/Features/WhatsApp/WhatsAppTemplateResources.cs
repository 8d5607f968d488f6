using System.ComponentModel;
using System.Linq.Expressions;
using Hypermedia.JsonLd;
using Hypermedia.Querying;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Collections;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.WhatsApp;

/// <summary>A template with the slugs its IRIs need, read in the same query (also inside a message's).</summary>
public sealed record WhatsAppTemplateView(WhatsAppTemplate Template, string AccountSlug, string? CreatorSlug)
{
    public static readonly Expression<Func<WhatsAppTemplate, WhatsAppTemplateView>> Projection =
        t => new WhatsAppTemplateView(t, t.Account!.Slug, t.CreatedBy == null ? null : t.CreatedBy.Slug);
}

[HydraClass("WhatsApp template", "A WhatsApp message template of an account: a body with placeholders that WhatsApp reviews (pending, then approved or rejected) before it may start a conversation.")]
public sealed class WhatsAppTemplateResource() : Resource(WhatsAppTemplateResource.TypeName)
{
    public const string TypeName = "WhatsApp::Template";

    [Description("The template's bare id, as TextUs clients send it (template.id); the last segment of its IRI")]
    public required string Slug { get; init; }

    [Description("The account it belongs to")]
    public required string Account { get; init; }

    [Description("WhatsApp's template name: lower-case letters, digits and underscores")]
    public required string Title { get; init; }

    [Description("WhatsApp's language code, such as en_US")]
    public required string Language { get; init; }

    [Description("approved, pending or rejected: only an approved template may be sent")]
    public required string Status { get; init; }

    [Description("WhatsApp's quality rating: high, medium, low, or null until rated")]
    public required string? Quality { get; init; }

    [Description("The carrier's content id (a Twilio Content SID, HX…), or null")]
    public required string? ContentSid { get; init; }

    [Description("text or quick_reply")]
    public required string ContentType { get; init; }

    [Description("The body with its placeholders ({{appt_date}}, {{contact.firstName | default: \"there\"}}) and the quick replies ({id, title})")]
    public required TemplateContent Content { get; init; }

    [Description("marketing, utility, authentication, or null")]
    public required string? Category { get; init; }

    [Description("The body's placeholders: {name, type (text or personalization_variable), example, personalizationVariable, fallback}")]
    public required IReadOnlyList<TemplateVariable> Variables { get; init; }

    [Description("The user who created it, or null")]
    public required string? User { get; init; }

    [Description("Record WhatsApp's verdict (PUT {status, quality}; staff operators), or null once deleted")]
    public required string? Review { get; init; }

    [Description("When it was created")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("When its status or quality last changed")]
    public required DateTimeOffset UpdatedAt { get; init; }

    [Description("When it was deleted (messages sent from it still show it), or null")]
    public required DateTimeOffset? DeletedAt { get; init; }

    public static WhatsAppTemplateResource Of(WhatsAppTemplateView view, Iris iris)
    {
        var template = view.Template;
        var id = new { id = template.Slug };
        return new WhatsAppTemplateResource
        {
            Id = iris.For(WhatsAppApi.TemplateRoute, id),
            Slug = template.Slug,
            Account = iris.For(AccountsApi.AccountRoute, new { account = view.AccountSlug }),
            Title = template.Title,
            Language = template.Language,
            Status = template.Status,
            Quality = template.Quality,
            ContentSid = template.ContentSid,
            ContentType = template.ContentType,
            Content = WhatsAppTemplateRules.ReadContent(template.Content),
            Category = template.Category,
            Variables = WhatsAppTemplateRules.ReadVariables(template.Variables),
            User = view.CreatorSlug is null ? null : iris.For(UsersApi.UserRoute, new { id = view.CreatorSlug }),
            Review = template.DeletedAt is null ? iris.For(WhatsAppApi.TemplateStatusRoute, id) : null,
            CreatedAt = template.CreatedAt,
            UpdatedAt = template.UpdatedAt,
            DeletedAt = template.DeletedAt,
        };
    }
}

/// <summary>How lists of templates are filtered and ordered.</summary>
public static class WhatsAppTemplateQueries
{
    public static readonly QueryModel<WhatsAppTemplate> Model = QueryModel.Create<WhatsAppTemplate, TemplateRow>("WhatsAppTemplate", t => new TemplateRow
    {
        Entity = t,
        Slug = t.Slug,
        Title = t.Title,
        Language = t.Language,
        Status = t.Status,
        Quality = t.Quality,
        ContentSid = t.ContentSid,
        ContentType = t.ContentType,
        Category = t.Category,
        CreatedAt = t.CreatedAt,
        UpdatedAt = t.UpdatedAt,
    });

    /// <summary>By title (then id), on the (account, title, language) index.</summary>
    public static readonly KeysetOrder<WhatsAppTemplate> ByTitle = KeysetOrder<WhatsAppTemplate>.By(t => t.Title, t => t.Id);

    private sealed class TemplateRow : QueryRow<WhatsAppTemplate>
    {
        public required string Slug { get; init; }

        public required string Title { get; init; }

        public required string Language { get; init; }

        public required string Status { get; init; }

        public required string? Quality { get; init; }

        public required string? ContentSid { get; init; }

        public required string ContentType { get; init; }

        public required string? Category { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }

        public required DateTimeOffset UpdatedAt { get; init; }
    }
}
