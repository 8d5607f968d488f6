using System.Text.Json;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.Personalization;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Json;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.WhatsApp;

/// <summary>
/// <c>template</c> on a send: the template (its IRI, or the bare slug TextUs clients send, <c>dkDdrbR</c>) and
/// the values of its variables by name (names kept as written: <c>appt_date</c>). TextUs's <c>variable_values</c>
/// is accepted as well as <c>variableValues</c>.
/// </summary>
public sealed record TemplateSendRequest(string? Id, Dictionary<string, JsonElement>? VariableValues);

/// <summary>
/// The template a send names, once it may be sent: the account's, live and approved; the values the send gives,
/// each for one of its variables; its body parsed for rendering.
/// </summary>
public sealed record ChosenTemplate(WhatsAppTemplateView View, IReadOnlyList<TemplateVariable> Variables, BodyTemplate Body, IReadOnlyDictionary<string, string> Given)
{
    public WhatsAppTemplate Template => View.Template;

    /// <summary>What the send gave, as stored on a bulk send until its fan-out renders each recipient's message.</summary>
    public string GivenJson => JsonSerializer.Serialize(Given, ApiJson.Response);
}

/// <summary>
/// One recipient's message from a template: its body and the value each variable took; or the variables left
/// without one, or (the values too long) <see cref="TooLong"/>.
/// </summary>
public sealed record TemplateRendering(string? Body, IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Missing)
{
    /// <summary>Why the rendered body cannot be sent for its length; null otherwise.</summary>
    public string? TooLong { get; init; }

    public string ValuesJson => JsonSerializer.Serialize(Values, ApiJson.Response);
}

/// <summary>
/// Sending from a WhatsApp template: which template a send may use, and what each recipient's message says.
/// A variable's value is the one the send gives, else (a personalization variable) the recipient's, else the
/// template's fallback; a variable left without one stops the send (one recipient) or skips that recipient.
/// </summary>
public sealed class WhatsAppTemplateSends(HypermediaDbContext db, PersonalizationLookup lookup, Iris iris)
{
    public const string Field = "template";
    private const string ValuesField = Field + ".variableValues";
    public const int MaxValueLength = 1024;

    /// <summary>The template <paramref name="request"/> names if it may be sent from the account; null, with the rules it breaks in <paramref name="validator"/>, otherwise.</summary>
    public async Task<ChosenTemplate?> ChooseAsync(Validator validator, long accountId, TemplateSendRequest request, CancellationToken cancellationToken)
    {
        var given = Given(validator, request.VariableValues);
        if (string.IsNullOrWhiteSpace(request.Id))
        {
            validator.Add(Field + ".id", "is required: the template's id (its IRI, or its bare id such as dkDdrbR)");
            return null;
        }

        var id = request.Id.Trim();
        var slug = id.Contains('/', StringComparison.Ordinal) ? iris.Match(id, WhatsAppApi.TemplateRoute, "id") : id;
        var view = slug is null ? null : await db.WhatsAppTemplates.AsNoTracking()
            .Where(t => t.Slug == slug && t.AccountId == accountId).Select(WhatsAppTemplateView.Projection).SingleOrDefaultAsync(cancellationToken);
        if (view is null)
        {
            validator.Add(Field + ".id", $"'{Shorten(id)}' is not a WhatsApp template of this account");
            return null;
        }

        var template = view.Template;
        if (WhyNotSendable(template) is { } reason)
        {
            validator.Add(Field + ".id", reason);
            return null;
        }

        var (variables, body, errors) = await ParseAsync(template, accountId, cancellationToken);
        foreach (var name in given?.Keys.Where(k => !variables.Any(v => v.Name == k)) ?? [])
        {
            validator.Add($"{ValuesField}.{Shorten(name)}", $"is not a variable of {template.Title}; its variables are {Names(variables)}");
        }

        foreach (var error in errors)
        {
            // A custom field the template uses was removed since it was approved.
            validator.Add(Field + ".id", $"{template.Title} cannot be sent: its body {error}");
        }

        return validator.IsValid ? new ChosenTemplate(view, variables, body, given!) : null;
    }

    /// <summary>Why a template may not be sent (now): deleted, or not approved; null when it may.</summary>
    public static string? WhyNotSendable(WhatsAppTemplate template) => WhyNotSendable(template.Title, template.Status, template.DeletedAt);

    /// <inheritdoc cref="WhyNotSendable(WhatsAppTemplate)"/>
    public static string? WhyNotSendable(string title, string status, DateTimeOffset? deletedAt) =>
        deletedAt is not null ? $"{title} was deleted; it can no longer be sent"
        : status != WhatsAppTemplateStatuses.Approved
            ? $"{title} is {status}: only an approved template may be sent (WhatsApp reviews each template before it is used)"
        : null;

    /// <summary>
    /// The variables no recipient can fill: text variables the send gives no value for and that have no fallback
    /// (a personalization variable may still come from each recipient's contact).
    /// </summary>
    public static void RequireGivenText(Validator validator, ChosenTemplate chosen)
    {
        foreach (var variable in chosen.Variables.Where(v => v.Type == WhatsAppVariableTypes.Text && v.Fallback is null && !chosen.Given.ContainsKey(v.Name)))
        {
            validator.Add($"{ValuesField}.{variable.Name}", Missing(chosen, variable.Name, recipient: null));
        }
    }

    /// <summary>One recipient's message: <paramref name="recipient"/>'s values, overridden by what the send gives.</summary>
    public static TemplateRendering Render(ChosenTemplate chosen, PersonalizationValues recipient)
    {
        var values = WithGiven(recipient, chosen);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var variable in chosen.Variables)
        {
            var value = ValueOf(values, variable.Name) ?? variable.Fallback;
            if (value is null)
            {
                missing.Add(variable.Name);
            }
            else
            {
                resolved[variable.Name] = value;
            }
        }

        if (missing.Count > 0)
        {
            return new TemplateRendering(null, resolved, missing);
        }

        var result = chosen.Body.Render(values);
        return result.Text is { Length: > MessageRules.MaxBodyLength } text
            ? new TemplateRendering(null, resolved, []) { TooLong = $"is {text.Length:N0} characters once its variables are filled; at most {MessageRules.MaxBodyLength:N0} are allowed" }
            : new TemplateRendering(result.Text, resolved, result.Missing) { TooLong = result.Problem is { } problem && result.Missing.Count == 0 ? problem : null };
    }

    /// <summary>The 422 for a single send whose recipient leaves variables without a value: one error per variable.</summary>
    public static void AddMissing(Validator validator, ChosenTemplate chosen, TemplateRendering rendering, string recipient)
    {
        if (rendering.TooLong is { } tooLong)
        {
            validator.Add(ValuesField, $"{chosen.Template.Title} {tooLong}");
        }

        foreach (var name in rendering.Missing)
        {
            validator.Add($"{ValuesField}.{name}", Missing(chosen, name, recipient));
        }
    }

    /// <summary>The skip reason of a bulk send's recipient left without a value for some variables.</summary>
    public static string SkipReason(ChosenTemplate chosen, TemplateRendering rendering, string recipient) =>
        rendering.TooLong is { } tooLong ? $"the template {chosen.Template.Title} {tooLong} for {recipient}"
        : $"the template {chosen.Template.Title} has no value for {string.Join(", ", rendering.Missing.Select(m => $"{{{{{m}}}}}"))} for {recipient} and no fallback";

    /// <summary>
    /// A bulk send's chunk: each recipient's message from the template the send was accepted with, or why the
    /// recipient is skipped (a variable left without a value; or, for all, the template rejected or deleted since).
    /// </summary>
    public async Task<Dictionary<string, (string? Body, string? Values, string? Skip)>> RenderManyAsync(
        long templateId, long accountId, long senderId, string givenJson, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var view = await db.WhatsAppTemplates.AsNoTracking().Where(t => t.Id == templateId).Select(WhatsAppTemplateView.Projection).SingleAsync(cancellationToken);
        var stopped = WhyNotSendable(view.Template);
        var (variables, body, errors) = await ParseAsync(view.Template, accountId, cancellationToken);
        stopped ??= errors.Count > 0 ? $"the template {view.Template.Title} {errors[0]}" : null;
        if (stopped is not null)
        {
            return recipients.ToDictionary(r => r, _ => ((string?)null, (string?)null, (string?)stopped), StringComparer.Ordinal);
        }

        var chosen = new ChosenTemplate(view, variables, body, JsonSerializer.Deserialize<Dictionary<string, string>>(givenJson, ApiJson.Response)!);
        var values = await lookup.ForManyAsync(accountId, senderId, recipients, cancellationToken);
        return recipients.ToDictionary(r => r, r =>
        {
            var rendering = Render(chosen, values[r]);
            return rendering.Body is null ? ((string?)null, (string?)null, (string?)SkipReason(chosen, rendering, r)) : (rendering.Body, (string?)rendering.ValuesJson, (string?)null);
        }, StringComparer.Ordinal);
    }

    /// <summary>The template's variables and its body as the renderer reads it, with the account's variables as they are now.</summary>
    private async Task<(IReadOnlyList<TemplateVariable> Variables, BodyTemplate Body, IReadOnlyList<string> Errors)> ParseAsync(
        WhatsAppTemplate template, long accountId, CancellationToken cancellationToken)
    {
        var variables = WhatsAppTemplateRules.ReadVariables(template.Variables);
        var body = WhatsAppTemplateRules.BodyTemplateOf(WhatsAppTemplateRules.ReadContent(template.Content), variables,
            await PersonalizationVariables.ForAccountAsync(db, accountId, cancellationToken), out var errors);
        return (variables, body, errors);
    }

    private static string Missing(ChosenTemplate chosen, string name, string? recipient)
    {
        var variable = chosen.Variables.First(v => v.Name == name);
        return variable.Type == WhatsAppVariableTypes.Text
            ? $"is required: {chosen.Template.Title} writes {{{{{name}}}}}, which has no fallback; give it in variable_values"
            : $"has no value for {recipient}: the recipient's {name} is empty and {chosen.Template.Title} gives no fallback; give it in variable_values";
    }

    /// <summary>variable_values: an object of text values by variable name; a blank or null value counts as not given.</summary>
    private static Dictionary<string, string>? Given(Validator validator, Dictionary<string, JsonElement>? values)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        var valid = true;
        foreach (var (name, value) in values ?? [])
        {
            var field = $"{ValuesField}.{Shorten(name)}";
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.String when value.GetString()!.Length > MaxValueLength:
                    validator.Add(field, $"must be at most {MaxValueLength:N0} characters");
                    valid = false;
                    break;
                case JsonValueKind.String:
                    var text = value.GetString()!.Trim();
                    if (text.Length > 0)
                    {
                        given[name] = text;
                    }

                    break;
                default:
                    validator.Add(field, "must be text (a JSON string)");
                    valid = false;
                    break;
            }
        }

        return valid ? given : null;
    }

    /// <summary>The recipient's values with the given ones in their place: text variables as plain names, personalization variables over the contact's, user's or account's.</summary>
    private static PersonalizationValues WithGiven(PersonalizationValues recipient, ChosenTemplate chosen)
    {
        Dictionary<string, string?> Overlay(string root, IReadOnlyDictionary<string, string?> values)
        {
            var result = new Dictionary<string, string?>(values, StringComparer.Ordinal);
            foreach (var (name, value) in chosen.Given)
            {
                if (name.Split('.') is [var r, var member] && r == root)
                {
                    result[member] = value;
                }
            }

            return result;
        }

        return new PersonalizationValues(
            Overlay(PersonalizationVariables.Contact, recipient.Contact),
            Overlay(PersonalizationVariables.User, recipient.User),
            Overlay(PersonalizationVariables.Account, recipient.Account))
        {
            Names = chosen.Given.Where(g => !g.Key.Contains('.', StringComparison.Ordinal)).ToDictionary(g => g.Key, g => (string?)g.Value, StringComparer.Ordinal),
        };
    }

    private static string? ValueOf(PersonalizationValues values, string name) =>
        name.Split('.') is [var root, var member] ? values.Of(root, member) : values.OfName(name);

    private static string Names(IReadOnlyList<TemplateVariable> variables) =>
        variables.Count == 0 ? "none" : string.Join(", ", variables.Select(v => v.Name));

    private static string Shorten(string text) => text.Length > 100 ? text[..100] + "…" : text;
}
