using System.Text.Json.Nodes;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Hydra;
using Hypermedia.Server.Platform.Phones;

namespace Hypermedia.Server.Features.Contacts;

public sealed record ContactPhoneRequest(string? Number, string? Type);

public sealed record ContactDataRequest(string? BusinessName, List<string>? Tags);

/// <summary>POST /{account}/contacts and PUT /contacts/{id}: on PUT, omitted fields stay as they are.</summary>
[Writes<ContactResource>]
public sealed record ContactRequest(string? Name, [property: RequiredToCreate] List<ContactPhoneRequest>? Phones, ContactDataRequest? Data,
    JsonObject? CustomFields);

[Writes<ContactNoteResource>]
public sealed record ContactNoteRequest([property: RequiredToCreate] string? Content);

/// <summary>A phone as validated: E.164 number, extension, label.</summary>
public sealed record ValidPhone(string Number, string? Extension, string Type);

/// <summary>A contact request as validated; null members were not sent and stay as they are.</summary>
/// <remarks><see cref="CustomFields"/> is checked against the account's contact schema when the contact is written.</remarks>
public sealed record ValidContact(string? Name, List<ValidPhone>? Phones, bool SetsBusinessName, string? BusinessName, List<string>? Tags, JsonObject? CustomFields);

public static class ContactRules
{
    public const int MaxName = 200;
    public const int MaxPhones = 10;
    public const int MaxTags = 50;
    public const int MaxTagLength = 50;
    public const int MaxTypeLength = 30;
    public const int MaxNote = 10_000;
    public const string DefaultPhoneType = "Mobile";

    /// <summary>The rules shared by create (phones required) and update (every field optional).</summary>
    public static ValidContact Validate(ContactRequest body, bool creating)
    {
        var validator = new Validator();
        var name = body.Name is null ? null : validator.Text("name", body.Name, MaxName, required: false) ?? "";
        var phones = Phones(validator, body.Phones, required: creating);
        var businessName = validator.Text("data.businessName", body.Data?.BusinessName, MaxName, required: false);
        var tags = Tags(validator, body.Data?.Tags);
        validator.ThrowIfInvalid();
        return new ValidContact(name, phones, body.Data?.BusinessName is not null, businessName, tags, body.CustomFields);
    }

    public static List<ValidPhone>? Phones(Validator validator, List<ContactPhoneRequest>? phones, bool required)
    {
        if (phones is null || phones.Count == 0)
        {
            if (required || phones is not null)
            {
                validator.Add("phones", "must list at least one phone number");
            }

            return null;
        }

        if (phones.Count > MaxPhones)
        {
            validator.Add("phones", $"may list at most {MaxPhones} numbers");
            return null;
        }

        var valid = new List<ValidPhone>();
        for (var i = 0; i < phones.Count; i++)
        {
            var type = validator.Text($"phones[{i}].type", phones[i]?.Type, MaxTypeLength, required: false) ?? DefaultPhoneType;
            if (!PhoneNumber.TryParse(phones[i]?.Number, out var number, out var error))
            {
                validator.Add($"phones[{i}].number", error);
            }
            else if (valid.Any(p => p.Number == number.E164 && p.Extension == number.Extension))
            {
                validator.Add($"phones[{i}].number", $"'{number.E164}' is listed twice");
            }
            else
            {
                valid.Add(new ValidPhone(number.E164, number.Extension, type));
            }
        }

        return valid;
    }

    public static List<string>? Tags(Validator validator, List<string>? tags)
    {
        if (tags is null)
        {
            return null;
        }

        if (tags.Count > MaxTags)
        {
            validator.Add("data.tags", $"may hold at most {MaxTags} tags");
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tags[i]) || tags[i].Length > MaxTagLength)
            {
                validator.Add($"data.tags[{i}]", $"must be 1 to {MaxTagLength} characters");
            }
        }

        return [.. tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct()];
    }
}
