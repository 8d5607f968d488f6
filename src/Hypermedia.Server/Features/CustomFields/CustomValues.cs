using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.CustomFields;

/// <summary>
/// A contact's or a user's values of custom fields. They are one jsonb column on the owner's row
/// (<c>custom_values</c>: <c>{"&lt;field id&gt;": value}</c>), not a table of their own: a schema holds at most
/// <see cref="CustomFieldRules.MaxFields"/> fields, every read of a contact or user and every personalized
/// send needs all of them with the row, and so they come with it, with no join and no second result set.
/// Keys are field ids, never slugs or titles, so a value stays with its field whatever it is called;
/// "is the field in use" is the <c>?</c> operator on the column's GIN index.
/// </summary>
public static class CustomValues
{
    public const string None = "{}";

    /// <summary>
    /// The fields of the accounts' schema, read under a key-share lock for the transaction writing values:
    /// a type change (which locks its field for update) waits for the write, or the write reads the new type.
    /// </summary>
    public static Task<List<CustomField>> LockFieldsAsync(HypermediaDbContext db, string schema, long[] accountIds, CancellationToken cancellationToken) =>
        db.CustomFields
            .FromSql($"SELECT * FROM custom_fields WHERE schema = {schema} AND account_id = ANY({accountIds}) ORDER BY id FOR KEY SHARE")
            .AsNoTracking()
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Applies <paramref name="changes"/> (<c>{key: value}</c>, null removes a value) to the stored values.
    /// <paramref name="fields"/> says which field each key names; a key that names none, and a value of the wrong
    /// type, are broken rules under <paramref name="errorKey"/>. Returns the values to store.
    /// </summary>
    public static string Apply(Validator validator, string stored, JsonObject changes, IReadOnlyDictionary<string, CustomField> fields,
        Func<string, string> errorKey, string unknown)
    {
        var values = JsonNode.Parse(stored)!.AsObject();
        foreach (var (key, value) in changes)
        {
            if (!fields.TryGetValue(key, out var field))
            {
                validator.Add(errorKey(key), unknown);
            }
            else if (value is null)
            {
                values.Remove(field.ValueKey);
            }
            else if (CustomFieldTypes.Read(field.Type, value, out var error) is { } read)
            {
                values[field.ValueKey] = read;
            }
            else
            {
                validator.Add(errorKey(key), $"must be {error}");
            }
        }

        return values.ToJsonString();
    }

    /// <summary>Whether two stored values hold the same (so a write of them changes nothing).</summary>
    public static bool Same(string a, string b) => JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));
}

/// <summary>
/// How stored values (keyed by field id) are named in documents: a contact's by the field's slug, a
/// user's by the field's IRI. Loaded only when some owner on the page holds a value.
/// </summary>
public sealed class FieldKeys
{
    public static readonly FieldKeys None = new([]);

    private readonly IReadOnlyList<(string ValueKey, string Key)> keys;

    private FieldKeys(IReadOnlyList<(string ValueKey, string Key)> keys) => this.keys = keys;

    /// <summary>The values under their document keys, in the order the fields were created; values of fields not known here are left out.</summary>
    public JsonObject Document(string stored)
    {
        var document = new JsonObject();
        if (stored == CustomValues.None || keys.Count == 0)
        {
            return document;
        }

        var values = JsonNode.Parse(stored)!.AsObject();
        foreach (var (valueKey, key) in keys)
        {
            if (values[valueKey] is { } value)
            {
                document[key] = value.DeepClone();
            }
        }

        return document;
    }

    /// <summary>The slugs of the contact schema fields of the contacts' accounts; no query when none holds a value.</summary>
    public static async Task<FieldKeys> ForContactsAsync(HypermediaDbContext db, IEnumerable<Contact> contacts, CancellationToken cancellationToken)
    {
        var accountIds = contacts.Where(c => c.CustomValues != CustomValues.None).Select(c => c.AccountId).Distinct().ToArray();
        if (accountIds.Length == 0)
        {
            return None;
        }

        var fields = await db.CustomFields.AsNoTracking()
            .Where(f => f.Schema == CustomFieldSchemas.Contact && accountIds.Contains(f.AccountId))
            .OrderBy(f => f.Id).Select(f => new { f.Id, f.Slug })
            .ToListAsync(cancellationToken);
        return new([.. fields.Select(f => (Key(f.Id), f.Slug))]);
    }

    /// <summary>
    /// The IRIs of the user schema fields of <paramref name="visibleAccounts"/> (null: every account, for
    /// staff), so a document shows only values of accounts its reader belongs to; no query when no user holds a value.
    /// </summary>
    public static async Task<FieldKeys> ForUsersAsync(HypermediaDbContext db, IEnumerable<User> users, IQueryable<long>? visibleAccounts, Iris iris,
        CancellationToken cancellationToken)
    {
        if (users.All(u => u.CustomValues == CustomValues.None))
        {
            return None;
        }

        var fields = db.CustomFields.AsNoTracking().Where(f => f.Schema == CustomFieldSchemas.User);
        if (visibleAccounts is not null)
        {
            fields = fields.Where(f => visibleAccounts.Contains(f.AccountId));
        }

        var found = await fields.OrderBy(f => f.Id).Select(f => new { f.Id, f.Slug, Account = f.Account!.Slug }).ToListAsync(cancellationToken);
        return new([.. found.Select(f => (Key(f.Id), CustomFieldResource.Iri(CustomFieldSchemas.User, f.Account, f.Slug, iris)))]);
    }

    private static string Key(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
