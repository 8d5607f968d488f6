using System.Globalization;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Attachments;
using Hypermedia.Server.Features.SavedReplies;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// Makes a send's text and file of what it says: the typed body, else the content of the saved reply it
/// names (which the sender may send from this account, else a 422 on <c>savedReply</c>); the file it asks
/// for, else the reply's; then the sender's signature, after a line break, when their
/// <c>settings.appendSignature</c> is on. The length rule applies to the result (once personalized, when it
/// holds variables).
/// </summary>
public sealed class MessageComposition(HypermediaDbContext db, AttachmentIntake attachments, Iris iris)
{
    /// <summary>A send's text and where it came from (<see cref="Field"/>, for the errors about it); its file, still to resolve.</summary>
    public sealed record Composed(string Text, string Field, AttachmentSpec? Requested, Attachment? ReplyFile);

    public async Task<Composed> ComposeAsync(Validator validator, MessageContent content, Account account, long senderId, CancellationToken cancellationToken)
    {
        var reply = content.SavedReply is { } iri ? await ReplyAsync(validator, iri, account, senderId, cancellationToken) : null;
        var typed = content.Text.Length > 0;
        var text = typed ? content.Text : reply?.Content ?? "";
        var field = typed || reply is null ? "body" : "savedReply";
        if (text.Length > 0 && await SignatureAsync(senderId, cancellationToken) is { } signature)
        {
            text += Signatures.SignatureRules.Separator + signature;
        }

        var replyFile = content.Attachment is null ? reply?.Attachments.OrderBy(a => a.Position).Select(a => a.Attachment).FirstOrDefault() : null;
        return new Composed(text, field, content.Attachment, replyFile);
    }

    /// <summary>The length rule on a text without variables (one with variables is checked once rendered).</summary>
    public static void RequireLength(Validator validator, Composed composed)
    {
        if (composed.Text.Length > MessageRules.MaxBodyLength)
        {
            validator.Add(composed.Field, string.Create(CultureInfo.InvariantCulture,
                $"is {composed.Text.Length:N0} characters with your signature appended; at most {MessageRules.MaxBodyLength:N0} are allowed"));
        }
    }

    /// <summary>The message's file: fetched or named by the request, or the saved reply's, as an attachment of the account.</summary>
    public async Task<Attachment?> FileAsync(Composed composed, Account account, long senderId, CancellationToken cancellationToken) =>
        composed.ReplyFile is { } file
            ? await attachments.ForAccountAsync(file, account, senderId, cancellationToken)
            : await attachments.ResolveAsync(composed.Requested, account, senderId, cancellationToken);

    private async Task<SavedReply?> ReplyAsync(Validator validator, string iri, Account account, long senderId, CancellationToken cancellationToken)
    {
        var slug = iris.Match(iri, SavedRepliesApi.SavedReplyRoute, "id");
        var reply = slug is null ? null : await SavedReplyAccess.SendableAsync(db, slug, senderId, account.Id, cancellationToken);
        if (reply is null)
        {
            validator.Add("savedReply", $"'{(iri.Length > 100 ? iri[..100] + "…" : iri)}' is not a saved reply you may send from this account (your own, or one shared by a member of it)");
        }

        return reply;
    }

    /// <summary>The sender's signature while they append it; null otherwise.</summary>
    private Task<string?> SignatureAsync(long senderId, CancellationToken cancellationToken) =>
        db.Signatures.Where(s => s.UserId == senderId && s.User!.AppendSignature).Select(s => s.Content).SingleOrDefaultAsync(cancellationToken);
}
