using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.CustomFields;

/// <summary>POST /{account}/contact_schema and /{account}/user_schema; the slug is derived from the title when absent.</summary>
[Writes<CustomFieldResource>]
public sealed record CreateCustomFieldRequest([property: RequiredToCreate] string? Type, [property: RequiredToCreate] string? Title, string? Description, string? Slug);

/// <summary>PUT /{account}/contact_schema/{slug}: omitted fields stay; the slug never changes; the type only while no value exists.</summary>
[Writes<CustomFieldResource>]
public sealed record UpdateCustomFieldRequest(string? Title, string? Description, string? Type);
