using System.Globalization;
using Hypermedia.Server.Features.Personalization;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Errors;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// A send's personalization variables: the body is checked against the account's variables when the send
/// is accepted (an unknown variable is a 422 on <c>body</c>), then rendered for each recipient. A body
/// without variables costs nothing here. What is stored and sent is the rendered body, and the length
/// rule applies to it.
/// </summary>
public sealed class BodyPersonalization(HypermediaDbContext db, PersonalizationLookup lookup)
{
    /// <summary>The body's template, or null when it holds no variables; its errors go to <paramref name="validator"/> on <paramref name="field"/>.</summary>
    public async Task<BodyTemplate?> CheckAsync(Validator validator, string body, string field, long accountId, CancellationToken cancellationToken)
    {
        if (!MayHoldVariables(body))
        {
            return null;
        }

        var template = BodyTemplate.Parse(body, await PersonalizationVariables.ForAccountAsync(db, accountId, cancellationToken), out var errors);
        foreach (var error in errors)
        {
            validator.Add(field, error);
        }

        return template.IsPlain ? null : template;
    }

    /// <summary>The body as one recipient gets it; a missing value (without a fallback) or a body too long once rendered is a 422 on <paramref name="field"/>.</summary>
    public async Task<string> RenderAsync(BodyTemplate template, string field, long accountId, long senderId, string recipient, CancellationToken cancellationToken)
    {
        var result = template.Render(await lookup.ForAsync(accountId, senderId, recipient, cancellationToken));
        return WhyNot(result, recipient) is { } problem ? throw ApiException.Invalid(field, problem) : result.Text!;
    }

    /// <summary>
    /// Each recipient's body (a bulk send's chunk, in one lookup), or why that recipient cannot be sent it:
    /// the skip reason recorded for them.
    /// </summary>
    public async Task<Dictionary<string, (string? Body, string? Skip)>> RenderManyAsync(
        string body, long accountId, long senderId, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        if (!MayHoldVariables(body))
        {
            return recipients.ToDictionary(r => r, _ => ((string?)body, (string?)null), StringComparer.Ordinal);
        }

        var template = BodyTemplate.Parse(body, await PersonalizationVariables.ForAccountAsync(db, accountId, cancellationToken), out var errors);
        if (errors.Count > 0)
        {
            // A field removed since the send was accepted: nobody can be sent this body.
            return recipients.ToDictionary(r => r, _ => ((string?)null, (string?)("the body " + errors[0])), StringComparer.Ordinal);
        }

        var values = await lookup.ForManyAsync(accountId, senderId, recipients, cancellationToken);
        return recipients.ToDictionary(r => r, r =>
        {
            var result = template.Render(values[r]);
            return WhyNot(result, r) is { } problem ? ((string?)null, (string?)("the body " + problem)) : (result.Text, (string?)null);
        }, StringComparer.Ordinal);
    }

    private static bool MayHoldVariables(string body) =>
        body.Contains("{{", StringComparison.Ordinal) || body.Contains("{%", StringComparison.Ordinal);

    private static string? WhyNot(RenderResult result, string recipient) =>
        result.Problem is { } problem ? $"{problem} ({recipient})"
        : result.Text!.Length > MessageRules.MaxBodyLength
            ? string.Create(CultureInfo.InvariantCulture, $"is {result.Text.Length:N0} characters for {recipient} once personalized; at most {MessageRules.MaxBodyLength:N0} are allowed")
        : null;
}
