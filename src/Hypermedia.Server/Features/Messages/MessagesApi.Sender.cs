using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.BulkSends;
using Hypermedia.Server.Features.Personalization;
using Hypermedia.Server.Features.WhatsApp;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;

namespace Hypermedia.Server.Features.Messages;

public sealed partial class MessagesApi
{
    /// <summary>
    /// The last step of every send: to one recipient, the message (201); to several, the bulk send that fans
    /// it out (202). Every rule checked before the answer is checked for both; the file, if any, is fetched
    /// and stored only once every other rule holds, and once for all recipients.
    /// </summary>
    internal sealed class Sender(
        MessageSending sending, BulkSendAcceptance bulk, MessageComposition composition, BodyPersonalization personalization, WhatsAppTemplateSends templates,
        PersonalizationLookup lookup, HypermediaDbContext db, AccountAccess access, Iris iris, TimeProvider clock, IHttpContextAccessor http)
    {
        public async Task<IResult> AcceptAsync(Validator validator, Account account, string? from, RecipientList? to, MessageContent content, DateTimeOffset? scheduledAt)
        {
            var cancellationToken = http.HttpContext?.RequestAborted ?? CancellationToken.None;
            if (content.Template is { } templateRequest)
            {
                return await AcceptTemplateAsync(validator, account, from, to, templateRequest, scheduledAt, cancellationToken);
            }

            var composed = await composition.ComposeAsync(validator, content, account, access.CallerId, cancellationToken);
            var template = await personalization.CheckAsync(validator, composed.Text, composed.Field, account.Id, cancellationToken);
            if (template is null)
            {
                MessageComposition.RequireLength(validator, composed);
            }

            if (to is { Several: true } several)
            {
                // Each recipient's body is rendered when the fan-out reaches them; one lacking a value is skipped.
                MessageSending.RequireUnrestricted(validator, account);
                validator.ThrowIfInvalid();
                var file = await composition.FileAsync(composed, account, access.CallerId, cancellationToken);
                var view = await bulk.AcceptAsync(
                    new ValidBulkSend(account, from!, several.Numbers, composed.Text, access.CallerId, access.CallerSlug, scheduledAt, file?.Id) { Channel = content.Channel },
                    cancellationToken);
                return ApiResults.Accepted(BulkSendResource.Of(view, iris));
            }

            if (content.IsWhatsApp && to is not null && validator.IsValid
                && !await WhatsAppWindow.IsOpenAsync(db, account.Id, to.Single.E164, clock.GetUtcNow(), cancellationToken))
            {
                validator.Add("template", "is required: " + WhatsAppWindow.Closed(to.Single.E164));
            }

            var send = await sending.ValidateAsync(validator, account, from, to?.Single, composed.Text, (access.CallerId, access.CallerSlug), cancellationToken);
            var body = template is null ? send.Body : await personalization.RenderAsync(template, composed.Field, account.Id, access.CallerId, send.To.E164, cancellationToken);
            var attachment = await composition.FileAsync(composed, account, access.CallerId, cancellationToken);
            var accepted = send with { Body = body, AttachmentId = attachment?.Id, Channel = content.Channel };
            return ApiResults.Created(MessageResource.Of(await sending.AcceptAsync(accepted, scheduledAt, cancellationToken), iris));
        }

        /// <summary>
        /// A WhatsApp template send: the template must be the account's and approved; the values the send gives
        /// must each be one of its variables. To one recipient, every variable must get a value (given, the
        /// recipient's, or a fallback) or the answer is a 422 naming each that does not; to several, the text
        /// variables must (they are the same for everyone), and a recipient whose personalization leaves one
        /// empty is skipped. No window applies: a template may start a conversation.
        /// </summary>
        private async Task<IResult> AcceptTemplateAsync(
            Validator validator, Account account, string? from, RecipientList? to, TemplateSendRequest request, DateTimeOffset? scheduledAt, CancellationToken cancellationToken)
        {
            var chosen = await templates.ChooseAsync(validator, account.Id, request, cancellationToken);
            if (to is { Several: true } several)
            {
                MessageSending.RequireUnrestricted(validator, account);
                if (chosen is not null)
                {
                    WhatsAppTemplateSends.RequireGivenText(validator, chosen);
                }

                validator.ThrowIfInvalid();
                var view = await bulk.AcceptAsync(
                    new ValidBulkSend(account, from!, several.Numbers, WhatsAppTemplateRules.ReadContent(chosen!.Template.Content).Body,
                        access.CallerId, access.CallerSlug, scheduledAt)
                    { Channel = MessageChannels.WhatsApp, Template = (chosen.Template.Id, chosen.Template.Slug, chosen.GivenJson) },
                    cancellationToken);
                return ApiResults.Accepted(BulkSendResource.Of(view, iris));
            }

            if (chosen is not null && to is not null)
            {
                var rendering = WhatsAppTemplateSends.Render(chosen, await lookup.ForAsync(account.Id, access.CallerId, to.Single.E164, cancellationToken));
                WhatsAppTemplateSends.AddMissing(validator, chosen, rendering, to.Single.E164);
                var send = await sending.ValidateAsync(validator, account, from, to.Single, rendering.Body, (access.CallerId, access.CallerSlug), cancellationToken);
                var message = await sending.AcceptAsync(
                    send with { Channel = MessageChannels.WhatsApp, Template = (chosen.Template.Id, rendering.ValuesJson) }, scheduledAt, cancellationToken);
                return ApiResults.Created(MessageResource.Of(message with { WhatsAppTemplate = chosen.View }, iris));
            }

            validator.ThrowIfInvalid();
            throw new InvalidOperationException("A template send without a template or a recipient passed validation.");
        }
    }
}
