namespace Hypermedia.Querying;

/// <summary>
/// A query option the client sent cannot be honoured. The message is written for the API client
/// (one sentence, no stack trace, no .NET type names), so the server can put it in a 400 response as is.
/// </summary>
public sealed class QueryOptionException : Exception
{
    public QueryOptionException(string option, string message, int? position = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Option = option;
        Position = position;
    }

    /// <summary>"$filter", "$orderby", "$top", "$skip", "$count", or the name of the unsupported option.</summary>
    public string Option { get; }

    /// <summary>0-based character position in the option's value, when known.</summary>
    public int? Position { get; }
}
