using System.Net;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;

namespace Hypermedia.Server.Tests.Platform.Collections;

/// <summary>
/// Cursors are opaque to clients but only base64url JSON, so anyone can forge one. Every value in a
/// forged cursor is checked against its column before it reaches SQL: a 400 naming the cursor, never
/// a 500 from an overflow, an out-of-range date or text PostgreSQL cannot hold.
/// </summary>
public sealed class ForgedCursorTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private enum Key
    {
        /// <summary>Paged by (name, id): any storable text is a position.</summary>
        Text,

        /// <summary>Paged by (time, id): the key is a count of ticks.</summary>
        Time,

        /// <summary>Small lists paged by $skip: no cursor is ever valid.</summary>
        None,
    }

    /// <summary>Every collection that takes a cursor; ACCOUNT, USER, CONTACT and PHONE are filled in.</summary>
    public static TheoryData<string, int> Collections => new()
    {
        { "/ACCOUNT/contacts", (int)Key.Text },
        { "/ACCOUNT/contact_phones", (int)Key.Text },
        { "/ACCOUNT/contact_filters/all/contacts", (int)Key.Text },
        { "/users", (int)Key.Text },
        { "/ACCOUNT/users", (int)Key.Text },
        { "/accounts", (int)Key.Text },
        { "/contacts/CONTACT/notes", (int)Key.Time },
        { "/ACCOUNT/opt_outs", (int)Key.Time },
        { "/ACCOUNT/opt_outs/PHONE/history", (int)Key.Time },
        { "/users/USER/api_tokens", (int)Key.Time },
        { "/contacts/CONTACT/phones", (int)Key.None },
        { "/users/USER/memberships", (int)Key.None },
        { "/ACCOUNT/contact_filters", (int)Key.None },
    };

    [Theory]
    [MemberData(nameof(Collections))]
    public async Task Every_forged_cursor_is_400_naming_the_cursor(string collection, int key)
    {
        var account = await api.CreateAccountAsync();
        var admin = await api.CreateUserAsync(Roles.Admin, staff: true, account);
        var client = api.ClientFor(admin);
        var contact = await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "C", phones = new[] { new { number = "3035550111" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await client.PutAsync($"/{account.Slug}/opt_outs/+13035550111", null)).ExpectAsync(HttpStatusCode.Created);
        var path = collection.Replace("ACCOUNT", account.Slug).Replace("USER", admin.Slug)
            .Replace("CONTACT", ((string)contact["id"]!).Split('/')[^1]).Replace("PHONE", "%2B13035550111");
        var failures = new List<string>();

        foreach (var forgery in HostileInput.CursorForgeries.Concat(HostileInput.CursorTimesOutOfRange))
        {
            var response = await client.GetAsync($"{path}?cursor={HostileInput.Cursor(forgery)}");
            var text = await response.Content.ReadAsStringAsync();
            var pagesFromIt = (Key)key == Key.Text && HostileInput.CursorTimesOutOfRange.Contains(forgery);
            var expected = pagesFromIt ? HttpStatusCode.OK : HttpStatusCode.BadRequest;
            if (response.StatusCode != expected || (!pagesFromIt && !text.Contains("\"errors\":{\"cursor\":[\"The cursor is not one this server issued", StringComparison.Ordinal)))
            {
                failures.Add($"{forgery}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
            }
        }

        Assert.Empty(failures);
    }
}
