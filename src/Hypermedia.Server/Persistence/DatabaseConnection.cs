namespace Hypermedia.Server.Persistence;

/// <summary>The app's database, for what shares it besides EF Core (Hangfire's storage).</summary>
public sealed record DatabaseConnection(string ConnectionString);
