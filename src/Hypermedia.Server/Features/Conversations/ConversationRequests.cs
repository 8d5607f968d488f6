using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Conversations;

/// <summary>POST /conversations/{id}/assignments: <c>{"assignee": "/users/…"}</c>.</summary>
[Writes<ConversationAssignmentResource>]
public sealed record AssignmentRequest([property: RequiredToCreate] string? Assignee);

/// <summary>PUT /conversations/{id}/assign_contact: <c>{"assigned_contact": "/contacts/…"}</c>.</summary>
[Writes<ConversationResource>]
public sealed record AssignContactRequest(string? AssignedContact);
