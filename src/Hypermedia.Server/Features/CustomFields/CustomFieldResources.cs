using System.ComponentModel;
using System.Text.Json.Serialization;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.CustomFields;

[HydraClass("Custom field", "A typed field of an account's contact schema or user schema; also a personalization variable ({{contact.slug}}, {{user.slug}}).")]
public sealed class CustomFieldResource() : Resource("CustomField")
{
    [Description("Unique name within the schema; names the variable ({{contact.slug}}) and never changes")]
    public required string Slug { get; init; }

    [Description("What people see, 1 to 70 characters")]
    public required string Title { get; init; }

    /// <summary>"type" in JSON, as TextUs names it, apart from <c>@type</c>.</summary>
    [JsonPropertyName("type")]
    [Description("date, email, number, telephone, text, time, url or calendar_day")]
    public required string FieldType { get; init; }

    [Description("What the field holds")]
    public required string Description { get; init; }

    [Description("When the field was created")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("Whether any contact (or user) holds a value for it; its type cannot change while it does")]
    public required bool InUse { get; init; }

    public static CustomFieldResource From(CustomField field, string accountSlug, bool inUse, Iris iris) => new()
    {
        Id = Iri(field.Schema, accountSlug, field.Slug, iris),
        Slug = field.Slug,
        Title = field.Title,
        FieldType = field.Type,
        Description = field.Description,
        CreatedAt = field.CreatedAt,
        InUse = inUse,
    };

    /// <summary>The field's IRI, which is also the key of a user's value in <c>settings.customSettings</c>.</summary>
    public static string Iri(string schema, string accountSlug, string slug, Iris iris) =>
        iris.For(schema == CustomFieldSchemas.Contact ? CustomFieldsApi.ContactFieldRoute : CustomFieldsApi.UserFieldRoute, new { account = accountSlug, slug });
}

[HydraClass("Contact schema", "The custom fields an account's contacts may hold values for.")]
public sealed class ContactSchemaResource() : Resource("ContactSchema")
{
    [Description("The account")]
    public required string Account { get; init; }

    [Description("Its fields, oldest first; POST to the schema to add one")]
    public required HydraCollection<CustomFieldResource> Fields { get; init; }
}

[HydraClass("User schema", "The custom fields the account's users fill in for their personalization variables.")]
public sealed class UserSchemaResource() : Resource("UserSchema")
{
    [Description("The account")]
    public required string Account { get; init; }

    [Description("Its fields, oldest first; POST to the schema to add one")]
    public required HydraCollection<CustomFieldResource> Fields { get; init; }
}

/// <summary>A schema as handlers build it, before it becomes one of the two resource types.</summary>
internal static class SchemaDocuments
{
    public static Resource For(string schema, string accountSlug, IReadOnlyList<CustomFieldResource> fields, Iris iris)
    {
        var contact = schema == CustomFieldSchemas.Contact;
        var id = iris.For(contact ? CustomFieldsApi.ContactSchemaRoute : CustomFieldsApi.UserSchemaRoute, new { account = accountSlug });
        var collection = Platform.Collections.CollectionPager.Whole(
            iris.For(contact ? CustomFieldsApi.ContactFieldsRoute : CustomFieldsApi.UserFieldsRoute, new { account = accountSlug }), fields);
        var account = iris.For(AccountsApi.AccountRoute, new { account = accountSlug });
        return contact
            ? new ContactSchemaResource { Id = id, Account = account, Fields = collection }
            : new UserSchemaResource { Id = id, Account = account, Fields = collection };
    }
}
