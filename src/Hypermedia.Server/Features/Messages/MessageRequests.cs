using System.Text.Json;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Messages;

/// <summary>
/// A send from an account (<c>POST /{account}/messages</c>): <c>to</c> is a number, or an array of
/// numbers (two or more make a bulk send, 202); <c>from</c> picks one of the account's numbers (its first by default).
/// </summary>
[Writes<MessageResource>]
public sealed record SendMessageRequest([property: RequiredToCreate] JsonElement? To, [property: RequiredToCreate] string? Body, string? From);

/// <summary>
/// A send without an account in the path (<c>POST /messages</c>): <c>from</c> (a number of one of the
/// caller's accounts) or <c>email</c> (a user whose account sends) chooses the account.
/// </summary>
[Writes<MessageResource>]
public sealed record SendWithoutAccountRequest(
    [property: RequiredToCreate] JsonElement? To, [property: RequiredToCreate] string? Body, string? From, [property: Instruction] string? Email);

/// <summary>A scheduled send (<c>POST /{account}/messages/schedule</c>): a send from the account, at <c>scheduled_at</c> (RFC 3339, in the future).</summary>
[Writes<MessageResource>]
public sealed record ScheduleMessageRequest(
    [property: RequiredToCreate] JsonElement? To, [property: RequiredToCreate] string? Body, string? From, [property: RequiredToCreate] string? ScheduledAt);
