using System.Net;
using Hypermedia.Server.Features.Contacts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hypermedia.Server.Tests.Features;

/// <summary>
/// Real parallel requests against PostgreSQL, judged by the rows they leave: consent history that
/// alternates and agrees with the current state, contact phones unique and within the limit, and
/// never a 5xx.
/// </summary>
public sealed class ConcurrentWritesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const int Parallel = 20;

    private async Task<(string Account, long AccountId, HttpClient Client)> MemberAsync()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        return (account.Slug, account.Id, api.ClientFor(user));
    }

    private Task<List<string>> HistoryOldestFirstAsync(long accountId, string number) =>
        api.WithDbAsync(db => db.OptOutEvents.Where(e => e.AccountId == accountId && e.PhoneNumber == number)
            .OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());

    private static void AssertAlternatesFromOptOut(List<string> history)
    {
        for (var i = 0; i < history.Count; i++)
        {
            Assert.True(history[i] == (i % 2 == 0 ? "opt_out" : "opt_in"), $"Event {i} breaks the alternation: {string.Join(", ", history)}");
        }
    }

    [Fact]
    public async Task Parallel_opt_outs_of_a_number_that_opted_back_in_record_one_opt_out()
    {
        var (account, accountId, client) = await MemberAsync();
        const string number = "+13035550100";
        var iri = $"/{account}/opt_outs/{number}";
        await (await client.PutAsync(iri, null)).ExpectAsync(HttpStatusCode.Created);

        // A few rounds, so a race that a lucky schedule hides once still shows.
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(iri)).StatusCode);

            var responses = await Concurrently.SendAsync(Parallel, _ => client.PutAsync(iri, null));

            Assert.Equal(new Dictionary<int, int> { [200] = Parallel - 1, [201] = 1 }, responses.CountByStatus());
            var createdAt = await Task.WhenAll(responses.Select(async r => (string?)(await r.JsonAsync())["createdAt"]));
            Assert.Single(createdAt.Distinct());
        }

        Assert.Equal(["opt_out", "opt_in", "opt_out", "opt_in", "opt_out", "opt_in", "opt_out"], await HistoryOldestFirstAsync(accountId, number));
        var rows = await api.WithDbAsync(db => db.OptOuts.Where(o => o.AccountId == accountId && o.PhoneNumber == number).ToListAsync());
        Assert.True(Assert.Single(rows).Active);
    }

    [Fact]
    public async Task Parallel_opt_outs_and_opt_ins_keep_the_history_alternating_and_agreeing_with_the_state()
    {
        var (account, accountId, client) = await MemberAsync();
        const string number = "+13035550101";
        var iri = $"/{account}/opt_outs/{number}";
        await (await client.PutAsync(iri, null)).ExpectAsync(HttpStatusCode.Created);

        var responses = await Concurrently.SendAsync(Parallel, i => i % 2 == 0 ? client.PutAsync(iri, null) : client.DeleteAsync(iri));

        var statuses = responses.CountByStatus();
        Assert.All(statuses.Keys, s => Assert.Contains(s, new[] { 200, 201, 204, 404 }));
        var history = await HistoryOldestFirstAsync(accountId, number);
        AssertAlternatesFromOptOut(history);
        // Every 201 and 204, and nothing else, recorded one event after the first opt-out.
        Assert.Equal(1 + statuses.GetValueOrDefault(201) + statuses.GetValueOrDefault(204), history.Count);
        var rows = await api.WithDbAsync(db => db.OptOuts.Where(o => o.AccountId == accountId && o.PhoneNumber == number).ToListAsync());
        Assert.Equal(history[^1] == "opt_out", Assert.Single(rows).Active);
        var current = await client.GetAsync(iri);
        Assert.Equal(history[^1] == "opt_out" ? HttpStatusCode.OK : HttpStatusCode.NotFound, current.StatusCode);
        var listed = await (await client.GetAsync(iri + "/history")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(history[^1], (string?)listed["members"]![0]!["action"]);
    }

    private static object[] TenPhonesFrom(int first) =>
        [.. Enumerable.Range(first, ContactRules.MaxPhones).Select(n => new { number = $"+1720555{n:0000}", type = "Mobile" })];

    [Fact]
    public async Task Parallel_puts_of_overlapping_phone_lists_leave_one_whole_list_without_duplicates()
    {
        var (account, _, client) = await MemberAsync();
        var created = await (await client.PostJsonAsync($"/{account}/contacts", new { name = "Race Target", phones = new[] { new { number = "+17205559999" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        var iri = (string)created["id"]!;
        var slug = iri.Split('/')[^1];

        // Request i lists numbers i..i+9: neighbours share nine of their ten numbers.
        var responses = await Concurrently.SendAsync(Parallel, i => client.PutJsonAsync(iri, new { phones = TenPhonesFrom(i) }));

        Assert.Equal(new Dictionary<int, int> { [200] = Parallel }, responses.CountByStatus());
        var stored = await api.WithDbAsync(db => db.ContactPhones.Where(p => p.Contact!.Slug == slug).Select(p => p.PhoneNumber).ToListAsync());
        Assert.Equal(ContactRules.MaxPhones, stored.Count);
        Assert.Equal(stored.Count, stored.Distinct().Count());
        var first = int.Parse(stored.Min()![^4..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(first, ContactRules.MaxPhones).Select(n => $"+1720555{n:0000}"), stored.Order());
        // The request that used to fail on the duplicated rows now succeeds.
        await (await client.PutJsonAsync(iri, new { phones = TenPhonesFrom(first) })).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Deleting_a_contact_while_notes_and_puts_race_answers_404_to_the_losers_and_leaves_nothing_behind()
    {
        var (account, _, client) = await MemberAsync();
        var created = await (await client.PostJsonAsync($"/{account}/contacts", new { name = "Race Target", phones = new[] { new { number = "+17205559998" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        var iri = (string)created["id"]!;
        var slug = iri.Split('/')[^1];
        var contactId = await api.WithDbAsync(db => db.Contacts.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());

        var responses = await Concurrently.SendAsync(Parallel, i => i switch
        {
            0 => client.DeleteAsync(iri),
            _ when i % 2 == 1 => client.PostJsonAsync(iri + "/notes", new { content = "note " + i }),
            _ => client.PutJsonAsync(iri, new { name = "Renamed " + i, phones = TenPhonesFrom(i) }),
        });

        Assert.Equal(HttpStatusCode.NoContent, responses[0].StatusCode);
        Assert.All(responses.Skip(1).Where((_, i) => i % 2 == 0), r => Assert.Contains((int)r.StatusCode, new[] { 201, 404 }));
        Assert.All(responses.Skip(1).Where((_, i) => i % 2 == 1), r => Assert.Contains((int)r.StatusCode, new[] { 200, 404 }));
        Assert.False(await api.WithDbAsync(db => db.Contacts.AnyAsync(c => c.Id == contactId)));
        Assert.Equal(0, await api.WithDbAsync(db => db.ContactNotes.CountAsync(n => n.ContactId == contactId)));
        Assert.Equal(0, await api.WithDbAsync(db => db.ContactPhones.CountAsync(p => p.ContactId == contactId)));
    }

    [Fact]
    public async Task The_database_refuses_a_number_twice_on_one_contact_but_allows_other_extensions()
    {
        var (account, accountId, client) = await MemberAsync();
        var created = await (await client.PostJsonAsync($"/{account}/contacts", new
        {
            name = "Switchboard",
            phones = new[] { new { number = "+13035550150" }, new { number = "+13035550150 x101" }, new { number = "+13035550150 x102" } },
        })).ExpectAsync(HttpStatusCode.Created);
        var slug = ((string)created["id"]!).Split('/')[^1];
        var contactId = await api.WithDbAsync(db => db.Contacts.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());

        var bare = await Assert.ThrowsAsync<DbUpdateException>(() => InsertPhoneAsync(contactId, accountId, extension: null));
        var extension = await Assert.ThrowsAsync<DbUpdateException>(() => InsertPhoneAsync(contactId, accountId, extension: "101"));

        Assert.Equal(3, created["phones"]!["members"]!.AsArray().Count);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(bare.InnerException).SqlState);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(extension.InnerException).SqlState);
        Assert.Equal(3, await api.WithDbAsync(db => db.ContactPhones.CountAsync(p => p.ContactId == contactId)));
    }

    private Task<int> InsertPhoneAsync(long contactId, long accountId, string? extension) =>
        api.WithDbAsync(db =>
        {
            db.ContactPhones.Add(new ContactPhone
            {
                Slug = Slugs.New(),
                ContactId = contactId,
                AccountId = accountId,
                PhoneNumber = "+13035550150",
                Extension = extension,
                Type = "Mobile",
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return db.SaveChangesAsync();
        });
}
