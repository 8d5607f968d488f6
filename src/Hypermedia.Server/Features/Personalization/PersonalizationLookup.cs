using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.CustomFields;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Personalization;

/// <summary>
/// The values a send personalizes its body with: the account's name, the sender's names and user schema values
/// (of this account's fields), and per recipient the account's contact with that number: if several contacts
/// have it, the most recently updated. Three queries whatever the number of recipients: the account's fields,
/// the sender with the account's name, and the contacts of every number at once.
/// </summary>
public sealed class PersonalizationLookup(HypermediaDbContext db)
{
    public async Task<PersonalizationValues> ForAsync(long accountId, long senderId, string recipientE164, CancellationToken ct) =>
        (await ForManyAsync(accountId, senderId, [recipientE164], ct))[recipientE164];

    /// <summary>Values for each number given (keyed as given); a number without a contact gets empty contact values.</summary>
    public async Task<IReadOnlyDictionary<string, PersonalizationValues>> ForManyAsync(long accountId, long senderId, IReadOnlyList<string> recipientsE164,
        CancellationToken ct)
    {
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.AccountId == accountId)
            .Select(f => new { f.Id, f.Schema, f.Slug }).ToListAsync(ct);
        var contactFields = fields.Where(f => f.Schema == CustomFieldSchemas.Contact).Select(f => (f.Id, f.Slug)).ToList();
        var userFields = fields.Where(f => f.Schema == CustomFieldSchemas.User).Select(f => (f.Id, f.Slug)).ToList();

        var sender = await db.Users.AsNoTracking().Where(u => u.Id == senderId)
            .Select(u => new { u.Name, u.CustomValues, Account = db.Set<Account>().Where(a => a.Id == accountId).Select(a => a.Name).FirstOrDefault() })
            .SingleOrDefaultAsync(ct);
        var account = new Dictionary<string, string?> { ["name"] = sender?.Account };
        var user = sender is null ? new Dictionary<string, string?>() : Person(sender.Name, sender.CustomValues, userFields);

        var numbers = recipientsE164.Distinct().ToList();
        var phones = await db.ContactPhones.AsNoTracking()
            .Where(p => p.AccountId == accountId && numbers.Contains(p.PhoneNumber))
            .Select(p => new { p.PhoneNumber, p.ContactId, p.Contact!.Name, p.Contact.CustomValues, p.Contact.UpdatedAt })
            .ToListAsync(ct);
        var contacts = phones.GroupBy(p => p.PhoneNumber)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.UpdatedAt).ThenByDescending(p => p.ContactId).First());

        var noContact = new Dictionary<string, string?>();
        return numbers.ToDictionary(n => n, n => new PersonalizationValues(
            contacts.TryGetValue(n, out var contact) ? Person(contact.Name, contact.CustomValues, contactFields) : noContact,
            user,
            account));
    }

    /// <summary>firstName, lastName and name from the name; each field's value under its slug.</summary>
    private static Dictionary<string, string?> Person(string name, string customValues, List<(long Id, string Slug)> fields)
    {
        var (first, last) = PersonNames.Split(name);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["firstName"] = first,
            ["lastName"] = last,
            ["name"] = string.IsNullOrWhiteSpace(name) ? null : name.Trim(),
        };
        var stored = customValues == CustomValues.None ? null : JsonNode.Parse(customValues)!.AsObject();
        foreach (var (id, slug) in fields)
        {
            values[slug] = CustomFieldTypes.Display(stored?[id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        return values;
    }
}
