using Microsoft.AspNetCore.OData.Query;

namespace Hypermedia.Querying;

/// <summary>The $filter functions clients may call: those Npgsql translates to SQL, and nothing that runs a regex.</summary>
internal static class QueryFunctions
{
    public const AllowedFunctions Allowed =
        AllowedFunctions.StartsWith | AllowedFunctions.EndsWith | AllowedFunctions.Contains | AllowedFunctions.Length
        | AllowedFunctions.IndexOf | AllowedFunctions.Concat | AllowedFunctions.Substring | AllowedFunctions.ToLower
        | AllowedFunctions.ToUpper | AllowedFunctions.Trim
        | AllowedFunctions.Year | AllowedFunctions.Month | AllowedFunctions.Day
        | AllowedFunctions.Hour | AllowedFunctions.Minute | AllowedFunctions.Second
        | AllowedFunctions.Round | AllowedFunctions.Floor | AllowedFunctions.Ceiling
        | AllowedFunctions.Any | AllowedFunctions.All;
}
