using System.Text.Json;
using System.Text.RegularExpressions;
using Hypermedia.Server.Features.Personalization;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Json;

namespace Hypermedia.Server.Features.WhatsApp;

/// <summary>A template's content as stored and shown: its body and, for quick_reply, its buttons.</summary>
public sealed record TemplateContent(string Body, IReadOnlyList<QuickReply> QuickReplies);

public sealed record QuickReply(string Id, string Title);

/// <summary>
/// A placeholder of a template's body. <see cref="WhatsAppVariableTypes.Text"/>: <see cref="Name"/> is a plain name
/// (<c>{{appt_date}}</c>) and <see cref="Example"/> the sample WhatsApp reviews; <see cref="WhatsAppVariableTypes.PersonalizationVariable"/>:
/// <see cref="Name"/> is the account's variable (<c>contact.firstName</c>), also in <see cref="PersonalizationVariable"/>.
/// <see cref="Fallback"/> is what the body writes after <c>| default:</c>, or null.
/// </summary>
public sealed record TemplateVariable(string Name, string Type, string? Example, string? PersonalizationVariable, string? Fallback);

/// <summary>A template's fields once every rule holds, ready to store.</summary>
public sealed record TemplateDraft(
    string Title, string Language, string? ContentSid, string ContentType, TemplateContent Content, string? Category, IReadOnlyList<TemplateVariable> Variables)
{
    public string ContentJson => JsonSerializer.Serialize(Content, ApiJson.Response);

    public string VariablesJson => JsonSerializer.Serialize(Variables, ApiJson.Response);
}

/// <summary>
/// What a WhatsApp template must be (every broken rule named by its field), and how its body renders: the
/// body is a personalization body (<see cref="BodyTemplate"/>) whose text variables are plain names added to the
/// account's variables, so <c>Hi {{contact.firstName | default: "there"}}, see you on {{appt_date}}</c> renders
/// with the one renderer every send uses.
/// </summary>
public static partial class WhatsAppTemplateRules
{
    public const int MaxTitle = 512;
    public const int MaxBody = 1024;
    public const int MaxQuickReplies = 10;
    public const int MaxQuickReplyId = 200;
    public const int MaxQuickReplyTitle = 25;
    public const int MaxVariables = BodyTemplate.MaxVariables;
    public const int MaxExample = 200;
    public const int MaxFallback = 200;

    /// <summary>Names a text variable cannot take: the objects of personalization variables, and Liquid's literals.</summary>
    private static readonly string[] ReservedNames =
        [PersonalizationVariables.Contact, PersonalizationVariables.User, PersonalizationVariables.Account, "true", "false", "nil", "null", "empty", "blank"];

    /// <summary>Checks a create request against every rule; null (with the rules in <paramref name="validator"/>) when one is broken.</summary>
    public static TemplateDraft? Read(Validator validator, CreateWhatsAppTemplateRequest request, PersonalizationVariables accountVariables)
    {
        var title = request.Title?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            validator.Add("title", "is required");
        }
        else if (!TitlePattern().IsMatch(title))
        {
            validator.Add("title", $"must be 1 to {MaxTitle} lower-case letters, digits or underscores (WhatsApp's rule for template names), such as appointment_reminder");
        }

        var language = request.Language?.Trim();
        if (string.IsNullOrEmpty(language))
        {
            validator.Add("language", "is required");
        }
        else if (!LanguagePattern().IsMatch(language))
        {
            validator.Add("language", "must be a WhatsApp language code: 2 or 3 lower-case letters, optionally '_' and a region in 2 capitals, such as en, en_US or pt_BR");
        }

        var contentSid = string.IsNullOrWhiteSpace(request.ContentSid) ? null : request.ContentSid.Trim();
        if (contentSid is not null && !ContentSidPattern().IsMatch(contentSid))
        {
            validator.Add("contentSid", "must be a Twilio Content SID: HX and 32 lower-case hexadecimal digits");
        }

        var contentType = OneOf(validator, "contentType", request.ContentType, WhatsAppContentTypes.All, required: true);
        var category = OneOf(validator, "category", request.Category, WhatsAppTemplateCategories.All, required: false);
        var variables = Variables(validator, request.Variables, accountVariables);
        var content = Content(validator, request.Content, contentType);
        if (content is not null && variables is not null)
        {
            CheckPlaceholders(validator, content.Body, variables, accountVariables);
        }

        return validator.IsValid
            ? new TemplateDraft(title!, language!, contentSid, contentType!, content!, category, variables!)
            : null;
    }

    /// <summary>
    /// The template's body as the renderer reads it: the account's variables plus the template's text variables
    /// as plain names. A send fills <see cref="PersonalizationValues.Names"/> with its <c>variable_values</c>.
    /// <paramref name="errors"/> is empty unless the account has lost a variable the template uses since it was made.
    /// </summary>
    public static BodyTemplate BodyTemplateOf(TemplateContent content, IReadOnlyList<TemplateVariable> variables, PersonalizationVariables accountVariables,
        out IReadOnlyList<string> errors) =>
        BodyTemplate.Parse(content.Body, WithTextNames(accountVariables, variables), out errors);

    public static TemplateContent ReadContent(string json) => JsonSerializer.Deserialize<TemplateContent>(json, ApiJson.Response)!;

    public static IReadOnlyList<TemplateVariable> ReadVariables(string json) => JsonSerializer.Deserialize<List<TemplateVariable>>(json, ApiJson.Response)!;

    private static PersonalizationVariables WithTextNames(PersonalizationVariables accountVariables, IEnumerable<TemplateVariable> variables) =>
        accountVariables.WithNames(variables.Where(v => v.Type == WhatsAppVariableTypes.Text).Select(v => v.Name));

    private static string? OneOf(Validator validator, string field, string? value, string[] allowed, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                validator.Add(field, $"is required: one of {string.Join(", ", allowed)}");
            }

            return null;
        }

        if (!allowed.Contains(value))
        {
            validator.Add(field, $"must be one of {string.Join(", ", allowed)}");
            return null;
        }

        return value;
    }

    private static TemplateContent? Content(Validator validator, TemplateContentRequest? content, string? contentType)
    {
        if (content is null)
        {
            validator.Add("content", "is required: {body, quickReplies}");
            return null;
        }

        var body = content.Body;
        if (string.IsNullOrWhiteSpace(body))
        {
            validator.Add("content.body", "is required");
            body = null;
        }
        else if (body.Length > MaxBody)
        {
            validator.Add("content.body", $"must be at most {MaxBody:N0} characters (WhatsApp's limit for a template body)");
            body = null;
        }

        var replies = QuickReplies(validator, content.QuickReplies, contentType);
        return body is null || replies is null ? null : new TemplateContent(body.Trim(), replies);
    }

    private static List<QuickReply>? QuickReplies(Validator validator, List<QuickReplyRequest?>? replies, string? contentType)
    {
        var given = replies ?? [];
        if (contentType == WhatsAppContentTypes.Text && given.Count > 0)
        {
            validator.Add("content.quickReplies", "must be empty for a text template; quick replies need contentType quick_reply");
            return null;
        }

        if (contentType == WhatsAppContentTypes.QuickReply && given.Count is 0 or > MaxQuickReplies)
        {
            validator.Add("content.quickReplies", $"must hold 1 to {MaxQuickReplies} quick replies for a quick_reply template ({given.Count} given)");
            return null;
        }

        var result = new List<QuickReply>();
        for (var i = 0; i < given.Count; i++)
        {
            var field = $"content.quickReplies[{i}]";
            if (given[i] is not { } reply)
            {
                validator.Add(field, "must be an object {id, title}");
                continue;
            }

            var id = validator.Text(field + ".id", reply.Id, MaxQuickReplyId);
            var title = validator.Text(field + ".title", reply.Title, MaxQuickReplyTitle);
            if (id is not null && result.FindIndex(r => r.Id == id) is var earlier and >= 0)
            {
                validator.Add(field + ".id", $"'{id}' is already the id of content.quickReplies[{earlier}]; ids must differ");
            }
            else if (id is not null && title is not null && id.Length <= MaxQuickReplyId && title.Length <= MaxQuickReplyTitle)
            {
                result.Add(new QuickReply(id, title));
            }
        }

        return result.Count == given.Count ? result : null;
    }

    private static List<TemplateVariable>? Variables(Validator validator, List<TemplateVariableRequest?>? variables, PersonalizationVariables accountVariables)
    {
        var given = variables ?? [];
        if (given.Count > MaxVariables)
        {
            validator.Add("variables", $"may hold at most {MaxVariables} variables ({given.Count} given)");
            return null;
        }

        var result = new List<TemplateVariable>();
        var valid = true;
        for (var i = 0; i < given.Count; i++)
        {
            var variable = given[i] is { } entry ? Variable(validator, $"variables[{i}]", entry, accountVariables) : null;
            if (given[i] is null)
            {
                validator.Add($"variables[{i}]", "must be an object {name, type, example, personalization_variable, fallback}");
            }

            if (variable is not null && result.FindIndex(v => v.Name == variable.Name) is var earlier and >= 0)
            {
                validator.Add($"variables[{i}].name", $"'{variable.Name}' is already the name of variables[{earlier}]; names must be unique");
                variable = null;
            }

            valid &= variable is not null;
            if (variable is not null)
            {
                result.Add(variable);
            }
        }

        return valid ? result : null;
    }

    private static TemplateVariable? Variable(Validator validator, string field, TemplateVariableRequest variable, PersonalizationVariables accountVariables)
    {
        var type = OneOf(validator, field + ".type", variable.Type, WhatsAppVariableTypes.All, required: true);
        var name = variable.Name?.Trim();
        var valid = type is not null;
        if (string.IsNullOrEmpty(name))
        {
            validator.Add(field + ".name", "is required");
            valid = false;
        }
        else if (type == WhatsAppVariableTypes.Text && !NamePattern().IsMatch(name))
        {
            validator.Add(field + ".name", "must be 1 to 64 letters, digits or underscores starting with a letter, such as appt_date (written {{appt_date}} in content.body)");
            valid = false;
        }
        else if (type == WhatsAppVariableTypes.Text && ReservedNames.Contains(name))
        {
            validator.Add(field + ".name", $"'{name}' is reserved ({string.Join(", ", ReservedNames)}); choose another name");
            valid = false;
        }
        else if (type == WhatsAppVariableTypes.PersonalizationVariable && !IsAccountVariable(name, accountVariables))
        {
            var root = name.Split('.')[0];
            var near = name.Split('.') is [var r, var m] ? accountVariables.NearMatch(r, m) : null;
            var known = accountVariables.Roots.SelectMany(accountVariables.Known);
            validator.Add(field + ".name", $"'{name}' is not a personalization variable of this account; "
                + (near is not null ? $"did you mean {near}? " : "")
                + $"known: {string.Join(", ", accountVariables.Roots.Contains(root) ? accountVariables.Known(root) : known)}");
            valid = false;
        }

        var personalization = string.IsNullOrEmpty(variable.PersonalizationVariable) ? null : variable.PersonalizationVariable.Trim();
        if (type == WhatsAppVariableTypes.Text && personalization is not null)
        {
            validator.Add(field + ".personalizationVariable", "must be empty for a text variable (its value is given by each send)");
            valid = false;
        }
        else if (valid && type == WhatsAppVariableTypes.PersonalizationVariable && personalization is not null && personalization != name)
        {
            validator.Add(field + ".personalizationVariable", $"must be the variable's name ('{name}') or empty");
            valid = false;
        }

        var example = variable.Example?.Trim();
        if (string.IsNullOrEmpty(example))
        {
            example = null;
            if (type == WhatsAppVariableTypes.Text)
            {
                validator.Add(field + ".example", "is required for a text variable: WhatsApp reviews the template with an example of each");
                valid = false;
            }
        }
        else if (example.Length > MaxExample)
        {
            validator.Add(field + ".example", $"must be at most {MaxExample} characters");
            valid = false;
        }

        var fallback = variable.Fallback;
        if (fallback is not null && (string.IsNullOrWhiteSpace(fallback) || fallback.Length > MaxFallback))
        {
            validator.Add(field + ".fallback", $"must be 1 to {MaxFallback} characters, or absent");
            valid = false;
        }

        return valid
            ? new TemplateVariable(name!, type!, example, type == WhatsAppVariableTypes.PersonalizationVariable ? name : null, fallback)
            : null;
    }

    private static bool IsAccountVariable(string name, PersonalizationVariables accountVariables) =>
        name.Split('.') is [var root, var member] && accountVariables.Exists(root, member);

    /// <summary>
    /// The body's placeholders and the variables describe each other: every placeholder is a declared variable,
    /// every variable appears in the body, and a variable's fallback is exactly what each of its placeholders
    /// writes after <c>| default:</c> (none where it has none).
    /// </summary>
    private static void CheckPlaceholders(Validator validator, string body, List<TemplateVariable> variables, PersonalizationVariables accountVariables)
    {
        var template = BodyTemplate.Parse(body, WithTextNames(accountVariables, variables), out var errors);
        foreach (var error in errors)
        {
            // A plain name the renderer does not know is, in a template, most likely a text variable not declared yet.
            validator.Add("content.body", UndeclaredName().Match(error) is { Success: true } undeclared
                ? $"{error}; to give it with each send, declare it in variables: {{\"name\": \"{undeclared.Groups[1].Value}\", \"type\": \"text\", \"example\": \"…\"}}"
                : error);
        }

        if (errors.Count > 0)
        {
            return;
        }

        foreach (var placeholder in template.Placeholders.DistinctBy(p => p.Variable))
        {
            if (!variables.Any(v => v.Name == placeholder.Variable))
            {
                validator.Add("content.body", $"{{{{{placeholder.Variable}}}}} is not one of the template's variables; "
                    + $"declare it in variables as {{\"name\": \"{placeholder.Variable}\", \"type\": \"{WhatsAppVariableTypes.PersonalizationVariable}\"}}");
            }
        }

        for (var i = 0; i < variables.Count; i++)
        {
            var variable = variables[i];
            var uses = template.Placeholders.Where(p => p.Variable == variable.Name).ToList();
            if (uses.Count == 0)
            {
                validator.Add($"variables[{i}].name", $"'{variable.Name}' does not appear in content.body; write it there as {{{{{variable.Name}}}}}");
            }
            else if (uses.Any(p => p.Fallback != variable.Fallback))
            {
                var written = uses.First(p => p.Fallback != variable.Fallback).Fallback;
                validator.Add($"variables[{i}].fallback", variable.Fallback is null
                    ? $"is missing: content.body writes {{{{{variable.Name} | default: \"{written}\"}}}}; give the same fallback here"
                    : $"must be what content.body writes for it after default: write {{{{{variable.Name} | default: \"{variable.Fallback}\"}}}} there"
                        + (written is null ? "" : $" (it writes \"{written}\")"));
            }
        }
    }

    [GeneratedRegex(@"^\{\{([A-Za-z][A-Za-z0-9_]*)\}\} is not a variable;")]
    private static partial Regex UndeclaredName();

    [GeneratedRegex("^[a-z0-9_]{1,512}$")]
    private static partial Regex TitlePattern();

    [GeneratedRegex("^[a-z]{2,3}(_[A-Z]{2})?$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex("^HX[0-9a-f]{32}$")]
    private static partial Regex ContentSidPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial Regex NamePattern();
}
