using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Platform.Phones;

namespace Hypermedia.Server.Features.Accounts;

/// <summary>POST /accounts (staff). TextUs names (phone_numbers) are accepted too.</summary>
[Writes<AccountResource>]
public sealed record CreateAccountRequest([property: RequiredToCreate] string? Slug, [property: RequiredToCreate] string? Name, List<string>? PhoneNumbers, string? Parent);

/// <summary>PATCH /accounts/{account} (admins): omitted fields stay; a settings key set to null is removed.</summary>
[Writes<AccountResource>]
public sealed record UpdateAccountRequest(string? Name, JsonObject? Settings);

public static partial class AccountRules
{
    public const int MaxName = 200;

    /// <summary>A slug must fit in an IRI and must not be a path segment the API serves itself (<see cref="ReservedPaths"/>).</summary>
    public static void CheckSlug(Validator validator, string? slug, ReservedPaths reserved)
    {
        if (string.IsNullOrEmpty(slug))
        {
            validator.Add("slug", "is required");
        }
        else if (!SlugPattern().IsMatch(slug))
        {
            validator.Add("slug", "must be 2 to 63 lower-case letters, digits, '_' or '-', starting with a letter or digit");
        }
        else if (reserved.IsReserved(slug))
        {
            validator.Add("slug", $"'{slug}' is reserved by the API");
        }
    }

    /// <summary>Normalizes each number to E.164; reports each invalid one under phoneNumbers[i].</summary>
    public static List<string> NormalizePhones(Validator validator, IReadOnlyList<string>? numbers)
    {
        var result = new List<string>();
        for (var i = 0; i < (numbers?.Count ?? 0); i++)
        {
            if (PhoneNumber.TryParse(numbers![i], out var number, out var error))
            {
                result.Add(number!.E164);
            }
            else
            {
                validator.Add($"phoneNumbers[{i}]", error!);
            }
        }

        return [.. result.Distinct()];
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{1,62}$")]
    private static partial Regex SlugPattern();
}
