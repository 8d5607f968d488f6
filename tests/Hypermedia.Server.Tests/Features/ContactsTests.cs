using System.Net;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

public sealed class ContactsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(string Account, long AccountId, HttpClient Client, TestUser User)> MemberAsync()
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(Roles.User, account);
        return (account.Slug, account.Id, api.ClientFor(user), user);
    }

    private static object TextUsExample => new
    {
        name = "Cordell Walker",
        phones = new object[] { new { number = "1-720-333-1234", type = "Mobile" }, new { number = "1-303-223-4567 x2921", type = "Work" } },
        data = new { businessName = "Texas Rangers", tags = new[] { "ranger", "vip" } },
    };

    [Fact]
    public async Task Creating_a_contact_is_201_with_location_normalized_phones_and_data()
    {
        var (account, _, client, _) = await MemberAsync();

        var response = await client.PostJsonAsync($"/{account}/contacts", TextUsExample);
        var body = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal((string?)body["id"], response.Headers.Location?.OriginalString);
        Assert.Equal("Contact", (string?)body["@type"]);
        Assert.Equal("Cordell", (string?)body["firstName"]);
        Assert.Equal("Walker", (string?)body["lastName"]);
        Assert.Equal("Texas Rangers", (string?)body["data"]!["businessName"]);
        Assert.Equal(["ranger", "vip"], body["data"]!["tags"].Strings());
        Assert.False((bool?)body["blocked"]);
        Assert.Equal("/accounts/" + account, (string?)body["account"]);
        var phones = body["phones"]!["members"]!.AsArray();
        Assert.Equal("+17203331234", (string?)phones[0]!["phoneNumber"]);
        Assert.Equal("(720) 333-1234", (string?)phones[0]!["formattedPhoneNumber"]);
        Assert.Null((string?)phones[0]!["extension"]);
        Assert.Equal("+13032234567", (string?)phones[1]!["phoneNumber"]);
        Assert.Equal("2921", (string?)phones[1]!["extension"]);
        Assert.Equal("Work", (string?)phones[1]!["type"]);
        Assert.Equal((string?)body["id"], (string?)phones[1]!["contact"]);
    }

    [Fact]
    public async Task A_contact_and_its_phones_dereference()
    {
        var (account, _, client, _) = await MemberAsync();
        var created = await (await client.PostJsonAsync($"/{account}/contacts", TextUsExample)).ExpectAsync(HttpStatusCode.Created);

        var contact = await (await client.GetAsync((string)created["id"]!)).ExpectAsync(HttpStatusCode.OK);
        var phones = await (await client.GetAsync((string)contact["phones"]!["id"]!)).ExpectAsync(HttpStatusCode.OK);
        var phone = await (await client.GetAsync((string)phones["members"]![0]!["id"]!)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(2, (int?)phones["totalItems"]);
        Assert.Equal("ContactPhone", (string?)phone["@type"]);
    }

    [Fact]
    public async Task The_TextUs_docs_example_number_is_stored_with_its_extension_and_flagged_not_valid_for_its_region()
    {
        var (account, accountId, client, _) = await MemberAsync();

        var body = await (await client.PostJsonAsync($"/{account}/contacts", new
        {
            name = "Docs Example",
            phones = new[] { new { number = "1-303-123-4567 x2921", type = "Work" } },
        })).ExpectAsync(HttpStatusCode.Created);

        var phone = body["phones"]!["members"]![0]!;
        Assert.Equal("+13031234567", (string?)phone["phoneNumber"]);
        Assert.Equal("2921", (string?)phone["extension"]);
        Assert.Equal("(303) 123-4567", (string?)phone["formattedPhoneNumber"]);
        Assert.False((bool?)phone["validForRegion"]);
        var stored = await api.WithDbAsync(db => db.ContactPhones.SingleAsync(p => p.AccountId == accountId));
        Assert.Equal("+13031234567", stored.PhoneNumber);
        Assert.Equal("2921", stored.Extension);
    }

    [Fact]
    public async Task A_valid_number_is_flagged_valid_for_its_region_when_read_back()
    {
        var (account, _, client, _) = await MemberAsync();
        var created = await (await client.PostJsonAsync($"/{account}/contacts", new
        {
            name = "Valid",
            phones = new[] { new { number = "(303) 555-0123" }, new { number = "+44 20 7946 0958" } },
        })).ExpectAsync(HttpStatusCode.Created);

        var phones = await (await client.GetAsync((string)created["phones"]!["id"]!)).ExpectAsync(HttpStatusCode.OK);

        var members = phones["members"]!.AsArray();
        Assert.True((bool?)members[0]!["validForRegion"]);
        Assert.Equal("(303) 555-0123", (string?)members[0]!["formattedPhoneNumber"]);
        Assert.True((bool?)members[1]!["validForRegion"]);
        Assert.Equal("+44 20 7946 0958", (string?)members[1]!["formattedPhoneNumber"]);
    }

    [Theory]
    [InlineData("""{"name":"x","phones":[{"number":"12345"}]}""", "phones[0].number", "12345")]
    [InlineData("""{"name":"x","phones":[{"number":"3035550100"},{"number":"1-800-FLOWERS"}]}""", "phones[1].number", "1-800-FLOWERS")]
    [InlineData("""{"name":"x","phones":[{"number":"call me maybe"}]}""", "phones[0].number", "call me maybe")]
    [InlineData("""{"name":"x","phones":[]}""", "phones", null)]
    [InlineData("""{"name":"x"}""", "phones", null)]
    [InlineData("""{"name":"x","phones":[{"number":"3035550100"},{"number":"(303) 555-0100"}]}""", "phones[1].number", "+13035550100")]
    [InlineData("""{"name":"x","phones":[{"number":"3035550100"}],"data":{"tags":[""]}}""", "data.tags[0]", null)]
    public async Task Invalid_contacts_are_422_naming_the_field_and_value(string body, string field, string? value)
    {
        var (account, accountId, client, _) = await MemberAsync();

        var problem = await (await client.SendRawAsync(HttpMethod.Post, $"/{account}/contacts", body)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        var message = string.Join(" ", problem["errors"]![field].Strings());
        Assert.NotEmpty(message);
        if (value is not null)
        {
            Assert.Contains(value, message);
        }

        Assert.Equal(0, await api.WithDbAsync(db => db.Contacts.CountAsync(c => c.AccountId == accountId)));
    }

    [Fact]
    public async Task Tel_and_whatsapp_urns_are_accepted_as_numbers()
    {
        var (account, _, client, _) = await MemberAsync();

        var body = await (await client.PostJsonAsync($"/{account}/contacts", new
        {
            name = "Urn",
            phones = new[] { new { number = "tel:+1-303-555-0123;ext=7" }, new { number = "whatsapp:+447911123456" } },
        })).ExpectAsync(HttpStatusCode.Created);

        var phones = body["phones"]!["members"]!.AsArray();
        Assert.Equal("+13035550123", (string?)phones[0]!["phoneNumber"]);
        Assert.Equal("7", (string?)phones[0]!["extension"]);
        Assert.Equal("+447911123456", (string?)phones[1]!["phoneNumber"]);
    }

    [Fact]
    public async Task Updating_keeps_unchanged_phones_and_replaces_the_rest()
    {
        var (account, _, client, _) = await MemberAsync();
        var created = await (await client.PostJsonAsync($"/{account}/contacts", TextUsExample)).ExpectAsync(HttpStatusCode.Created);
        var keptPhoneIri = (string)created["phones"]!["members"]![0]!["id"]!;

        var updated = await (await client.PutJsonAsync((string)created["id"]!, new
        {
            name = "Jimmy Trivette",
            phones = new[] { new { number = "+17203331234", type = "Home" }, new { number = "303.555.0199", type = "Mobile" } },
        })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Jimmy Trivette", (string?)updated["name"]);
        Assert.Equal("Texas Rangers", (string?)updated["data"]!["businessName"]);
        Assert.Equal(["ranger", "vip"], updated["data"]!["tags"].Strings());
        var phones = updated["phones"]!["members"]!.AsArray();
        Assert.Equal(keptPhoneIri, (string?)phones[0]!["id"]);
        Assert.Equal("Home", (string?)phones[0]!["type"]);
        Assert.Equal("+13035550199", (string?)phones[1]!["phoneNumber"]);
        var slug = ((string)created["id"]!).Split('/')[^1];
        Assert.Equal(2, await api.WithDbAsync(db => db.ContactPhones.CountAsync(p => p.Contact!.Slug == slug)));
    }

    [Fact]
    public async Task Updating_with_an_empty_business_name_clears_it_and_keeps_the_rest()
    {
        var (account, _, client, _) = await MemberAsync();
        var created = await (await client.PostJsonAsync($"/{account}/contacts", TextUsExample)).ExpectAsync(HttpStatusCode.Created);

        var updated = await (await client.PutJsonAsync((string)created["id"]!, new { data = new { businessName = "" } })).ExpectAsync(HttpStatusCode.OK);

        Assert.Null((string?)updated["data"]!["businessName"]);
        Assert.Equal("Cordell Walker", (string?)updated["name"]);
        Assert.Equal(["ranger", "vip"], updated["data"]!["tags"].Strings());
        Assert.Equal(2, updated["phones"]!["members"]!.AsArray().Count);
    }

    [Fact]
    public async Task q_searches_name_business_and_phone_digits()
    {
        var (account, _, client, _) = await MemberAsync();
        await client.PostJsonAsync($"/{account}/contacts", TextUsExample);
        await client.PostJsonAsync($"/{account}/contacts", new { name = "Alex Cahill", phones = new[] { new { number = "2145550100" } }, data = new { businessName = "Law Office" } });

        async Task<string[]> Names(string q) =>
            (await (await client.GetAsync($"/{account}/contacts?q={Uri.EscapeDataString(q)}")).ExpectAsync(HttpStatusCode.OK))["members"]!
                .AsArray().Select(m => (string)m!["name"]!).ToArray();

        Assert.Equal(["Cordell Walker"], await Names("walk"));
        Assert.Equal(["Alex Cahill"], await Names("law off"));
        Assert.Equal(["Cordell Walker"], await Names("(720) 333"));
        Assert.Equal(["Alex Cahill"], await Names("214-555"));
        Assert.Empty(await Names("zz%"));
    }

    [Fact]
    public async Task Contacts_are_listed_alphabetically_and_paged_by_cursor()
    {
        var (account, _, client, _) = await MemberAsync();
        var names = Enumerable.Range(0, 7).Select(i => $"Person {(char)('G' - i)}").ToList();
        foreach (var name in names)
        {
            await (await client.PostJsonAsync($"/{account}/contacts", new { name, phones = new[] { new { number = "3035550100" } } })).ExpectAsync(HttpStatusCode.Created);
        }

        var seen = new List<string>();
        var page = await (await client.GetAsync($"/{account}/contacts?$top=3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null((string?)page["view"]!["previous"]);
        while (true)
        {
            Assert.Equal(7, (int?)page["totalItems"]);
            seen.AddRange(page["members"]!.AsArray().Select(m => (string)m!["name"]!));
            if ((string?)page["view"]!["next"] is not { } next)
            {
                break;
            }

            Assert.Contains("$top=3", Uri.UnescapeDataString(next));
            page = await (await client.GetAsync(next)).ExpectAsync(HttpStatusCode.OK);
        }

        Assert.Equal(names.Order(StringComparer.Ordinal), seen);
        var previous = await (await client.GetAsync((string)page["view"]!["previous"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["Person D", "Person E", "Person F"], previous["members"]!.AsArray().Select(m => (string)m!["name"]!));
    }

    [Fact]
    public async Task A_forged_cursor_is_400()
    {
        var (account, _, client, _) = await MemberAsync();

        var problem = await (await client.GetAsync($"/{account}/contacts?cursor=not-a-cursor")).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]!["cursor"]);
    }

    [Fact]
    public async Task Deleting_a_contact_without_history_is_204_and_removes_phones_and_notes()
    {
        var (account, _, client, _) = await MemberAsync();
        var created = await (await client.PostJsonAsync($"/{account}/contacts", TextUsExample)).ExpectAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync((string)created["notes"]!, new { content = "hello" })).ExpectAsync(HttpStatusCode.Created);
        var slug = ((string)created["id"]!).Split('/')[^1];

        var response = await client.DeleteAsync((string)created["id"]!);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(await api.WithDbAsync(db => db.Contacts.AnyAsync(c => c.Slug == slug)));
        Assert.Equal(0, await api.WithDbAsync(db => db.ContactNotes.CountAsync(n => n.Contact!.Slug == slug)));
        await (await client.GetAsync((string)created["id"]!)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_contact_with_message_history_is_409_and_keeps_it()
    {
        var (account, accountId, client, _) = await MemberAsync();
        var created = await (await client.PostJsonAsync($"/{account}/contacts", TextUsExample)).ExpectAsync(HttpStatusCode.Created);
        await api.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var conversation = new Conversation { Slug = Slugs.New(), AccountId = accountId, PhoneNumber = "+13032234567", AccountPhoneNumber = "+13035550100", State = Conversation.Open, LatestActivityAt = now, CreatedAt = now };
            db.Set<Message>().Add(new Message
            {
                Slug = Slugs.New(),
                AccountId = accountId,
                Conversation = conversation,
                PhoneNumber = "+13032234567",
                AccountPhoneNumber = "+13035550100",
                Direction = Message.Incoming,
                Body = "hi",
                DeliveryState = DeliveryStates.Received,
                Source = "simulator",
                TimelinePosition = now,
                LatestEventAt = now,
                CreatedAt = now,
            });
            return await db.SaveChangesAsync();
        });

        await (await client.DeleteAsync((string)created["id"]!)).ExpectProblemAsync(HttpStatusCode.Conflict);

        await (await client.GetAsync((string)created["id"]!)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Notes_are_created_with_their_author_and_listed_newest_first()
    {
        var (account, _, client, user) = await MemberAsync();
        var contact = await (await client.PostJsonAsync($"/{account}/contacts", TextUsExample)).ExpectAsync(HttpStatusCode.Created);
        var notesIri = (string)contact["notes"]!;

        var first = await (await client.PostJsonAsync(notesIri, new { content = "Awesome note!" })).ExpectAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync(notesIri, new { content = "Second" })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("ContactNote", (string?)first["@type"]);
        Assert.Equal("Awesome note!", (string?)first["content"]);
        Assert.Equal(user.Iri, (string?)first["user"]!["id"]);
        Assert.Equal("User", (string?)first["user"]!["@type"]);
        Assert.Equal((string?)contact["id"], (string?)first["contact"]);
        var list = await (await client.GetAsync(notesIri)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["Second", "Awesome note!"], list["members"]!.AsArray().Select(n => (string)n!["content"]!));
        await (await client.GetAsync((string)first["id"]!)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync(notesIri, new { content = "" })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Blocking_flips_the_action_links_and_is_idempotent()
    {
        var (account, _, client, _) = await MemberAsync();
        var contact = await (await client.PostJsonAsync($"/{account}/contacts", TextUsExample)).ExpectAsync(HttpStatusCode.Created);
        var blockIri = (string)contact["blockContact"]!;
        Assert.Null(contact["unblockContact"]);

        var blocked = await (await client.PutAsync(blockIri, null)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutAsync(blockIri, null)).ExpectAsync(HttpStatusCode.OK);

        Assert.True((bool?)blocked["blocked"]);
        Assert.Null(blocked["blockContact"]);
        Assert.Equal(blockIri, (string?)blocked["unblockContact"]);

        var unblocked = await (await client.DeleteAsync(blockIri)).ExpectAsync(HttpStatusCode.OK);
        Assert.False((bool?)unblocked["blocked"]);
        Assert.Equal(blockIri, (string?)unblocked["blockContact"]);
    }

    [Fact]
    public async Task Account_contact_phones_are_searchable()
    {
        var (account, _, client, _) = await MemberAsync();
        await client.PostJsonAsync($"/{account}/contacts", TextUsExample);

        var all = await (await client.GetAsync($"/{account}/contact_phones")).ExpectAsync(HttpStatusCode.OK);
        var byDigits = await (await client.GetAsync($"/{account}/contact_phones?q=720333")).ExpectAsync(HttpStatusCode.OK);
        var byName = await (await client.GetAsync($"/{account}/contact_phones?q=Cordell")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(2, (int?)all["totalItems"]);
        Assert.Equal(["+17203331234"], byDigits["members"]!.AsArray().Select(p => (string)p!["phoneNumber"]!));
        Assert.Equal(2, (int?)byName["totalItems"]);
    }
}
