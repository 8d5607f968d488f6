namespace Hypermedia.Server.Platform.Errors;

/// <summary>Collects every broken rule of a request, so a client sees them all at once in one 422.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> errors = [];

    public bool IsValid => errors.Count == 0;

    public Validator Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    /// <summary>Checks a required text field's presence and length; returns the trimmed value.</summary>
    public string? Text(string field, string? value, int maxLength, bool required = true)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required)
            {
                Add(field, "is required");
            }

            return null;
        }

        if (trimmed.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters");
        }

        return trimmed;
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw ApiException.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }
}
