using Hypermedia.Server.Features.CustomFields;
using Hypermedia.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Features.Personalization;

/// <summary>
/// The variables a body may hold in one account: the built-in ones (<c>contact.firstName</c>, <c>user.name</c>,
/// <c>account.name</c>…) and one per field of its contact schema (<c>contact.slug</c>) and user schema (<c>user.slug</c>);
/// and, where a feature supplies values of its own (a WhatsApp template's variables), plain names written
/// without an object (<c>{{appt_date}}</c>, see <see cref="WithNames"/>).
/// </summary>
public sealed class PersonalizationVariables
{
    public const string Contact = "contact";
    public const string User = "user";
    public const string Account = "account";

    public static readonly string[] PersonMembers = ["firstName", "lastName", "name"];
    public static readonly string[] AccountMembers = ["name"];

    private readonly Dictionary<string, string[]> members;
    private readonly string[] names;

    private PersonalizationVariables(IEnumerable<string> contactSlugs, IEnumerable<string> userSlugs)
    {
        members = new(StringComparer.Ordinal)
        {
            [Contact] = [.. PersonMembers, .. contactSlugs],
            [User] = [.. PersonMembers, .. userSlugs],
            [Account] = AccountMembers,
        };
        names = [];
    }

    private PersonalizationVariables(Dictionary<string, string[]> members, string[] names)
    {
        this.members = members;
        this.names = names;
    }

    /// <summary>The account's variables: one query for the slugs of its two schemas.</summary>
    public static async Task<PersonalizationVariables> ForAccountAsync(HypermediaDbContext db, long accountId, CancellationToken ct)
    {
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.AccountId == accountId).OrderBy(f => f.Id)
            .Select(f => new { f.Schema, f.Slug }).ToListAsync(ct);
        return Of(fields.Where(f => f.Schema == CustomFieldSchemas.Contact).Select(f => f.Slug), fields.Where(f => f.Schema == CustomFieldSchemas.User).Select(f => f.Slug));
    }

    /// <summary>Variables from the slugs of a contact schema and a user schema.</summary>
    public static PersonalizationVariables Of(IEnumerable<string> contactSlugs, IEnumerable<string> userSlugs) => new(contactSlugs, userSlugs);

    /// <summary>
    /// These variables and also <paramref name="plainNames"/>, each written alone (<c>{{appt_date}}</c>), whose
    /// values the caller supplies in <see cref="PersonalizationValues.Names"/>. A name may not be one of the
    /// <see cref="Roots"/>: <c>{{contact}}</c> would then mean two things.
    /// </summary>
    public PersonalizationVariables WithNames(IEnumerable<string> plainNames)
    {
        var added = plainNames.Distinct(StringComparer.Ordinal).ToArray();
        if (added.FirstOrDefault(members.ContainsKey) is { } root)
        {
            throw new ArgumentException($"'{root}' starts variables ({root}.…); it cannot also be a plain name.", nameof(plainNames));
        }

        return new(members, [.. names, .. added.Except(names, StringComparer.Ordinal)]);
    }

    /// <summary>The plain names (<see cref="WithNames"/>), in the order they were added; empty for an account's variables alone.</summary>
    public IReadOnlyList<string> Names => names;

    public bool IsName(string name) => names.Contains(name, StringComparer.Ordinal);

    /// <summary>The objects a variable starts with: contact, user, account.</summary>
    public IEnumerable<string> Roots => members.Keys;

    public bool Exists(string root, string member) => members.TryGetValue(root, out var known) && known.Contains(member, StringComparer.Ordinal);

    /// <summary>Every variable of <paramref name="root"/> ("contact.firstName", …), built-ins first.</summary>
    public IReadOnlyList<string> Known(string root) => members.TryGetValue(root, out var known) ? [.. known.Select(m => root + "." + m)] : [];

    /// <summary>A variable spelled like <paramref name="member"/> but for case ("firstname" → "contact.firstName"), or null.</summary>
    public string? NearMatch(string root, string member) =>
        members.TryGetValue(root, out var known) && known.FirstOrDefault(m => string.Equals(m, member, StringComparison.OrdinalIgnoreCase)) is { } found
            ? root + "." + found
            : null;
}
