using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Auth;

namespace Hypermedia.Server.Features.ApiTokens;

/// <summary>Issues tokens for the API and for the command line: the secret is returned once and stored only as a hash.</summary>
public sealed class ApiTokenIssuer(HypermediaDbContext db, TimeProvider clock)
{
    public async Task<(ApiToken Record, string Token)> IssueAsync(long userId, string description, CancellationToken cancellationToken = default)
    {
        var issued = SecretFormat.ApiToken.Issue();
        var record = new ApiToken
        {
            Slug = issued.Id,
            UserId = userId,
            Description = description,
            SecretHash = issued.SecretHash,
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiTokens.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return (record, issued.Text);
    }
}
