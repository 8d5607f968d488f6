using System.Net;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features;

public sealed class ConversationsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Outside = "+13035550142";

    private sealed record Member(Account Account, TestUser User, HttpClient Client)
    {
        public string Slug => Account.Slug;
    }

    private async Task<Member> MemberAsync(string role = Roles.User)
    {
        var account = await api.CreateAccountAsync();
        var user = await api.CreateUserAsync(role, account);
        return new Member(account, user, api.ClientFor(user));
    }

    /// <summary>A member whose account has a conversation with <see cref="Outside"/> that began with a text from it.</summary>
    private async Task<(Member Member, string Iri)> ConversationAsync(string role = Roles.User)
    {
        var member = await MemberAsync(role);
        var slug = await api.InboundAsync(member.Slug, Outside);
        return (member, "/conversations/" + slug);
    }

    private static async Task<JsonNode> GetAsync(HttpClient client, string iri) => await (await client.GetAsync(iri)).ExpectAsync(HttpStatusCode.OK);

    private static async Task<JsonNode> PutAsync(HttpClient client, string iri) => await (await client.PutAsync(iri, null)).ExpectAsync(HttpStatusCode.OK);

    private static async Task<JsonNode> DeleteAsync(HttpClient client, string iri) => await (await client.DeleteAsync(iri)).ExpectAsync(HttpStatusCode.OK);

    private Task<string> StateAsync(string iri)
    {
        var slug = iri.Split('/')[^1];
        return api.WithDbAsync(db => db.Conversations.Where(c => c.Slug == slug).Select(c => c.State).SingleAsync());
    }

    [Fact]
    public async Task An_inbound_text_makes_a_conversation_that_dereferences_with_the_catalogue_fields()
    {
        var (member, iri) = await ConversationAsync();
        var accountNumber = await api.AccountNumberAsync(member.Slug);

        var body = await GetAsync(member.Client, iri);

        Assert.Equal("Conversation", (string?)body["@type"]);
        Assert.Equal("/contexts/Conversation.jsonld", (string?)body["@context"]);
        Assert.Equal(iri, (string?)body["id"]);
        Assert.Equal(iri.Split('/')[^1], (string?)body["slug"]);
        Assert.Equal("open", (string?)body["currentState"]);
        Assert.False((bool?)body["blocked"]);
        Assert.Equal("/accounts/" + member.Slug, (string?)body["account"]);
        Assert.Equal(Outside, (string?)body["phoneNumber"]);
        Assert.Equal("(303) 555-0142", (string?)body["formattedPhoneNumber"]);
        Assert.Equal(accountNumber, (string?)body["accountPhoneNumber"]);
        Assert.StartsWith("(303) ", (string?)body["formattedAccountPhoneNumber"]);
        Assert.Null(body["assignedContact"]);
        Assert.Equal(iri + "/associated_contacts", (string?)body["associatedContacts"]);
        Assert.Equal(iri + "/assignments", (string?)body["assignments"]);
        Assert.Equal(iri + "/timeline", (string?)body["timeline"]);
        Assert.Equal(iri + "/assign_contact", (string?)body["assignContact"]);
        var latest = body["latestPreviewableItem"]!;
        Assert.Equal("Message", (string?)latest["@type"]);
        Assert.Equal("Hello there", (string?)latest["body"]);
        Assert.Equal("in", (string?)latest["direction"]);
        Assert.Equal(iri, (string?)latest["conversation"]);
    }

    [Fact]
    public async Task The_requesting_user_info_is_embedded_and_dereferences()
    {
        var (member, iri) = await ConversationAsync();

        var info = (await GetAsync(member.Client, iri))["requestingUserInfo"]!;
        var dereferenced = await GetAsync(member.Client, (string)info["id"]!);

        Assert.Equal("ConversationUserInfo", (string?)info["@type"]);
        Assert.Equal(iri + "/user_info", (string?)info["id"]);
        Assert.False((bool?)info["read"]);
        Assert.Null(info["readToTimelinePosition"]);
        Assert.False((bool?)info["starred"]);
        Assert.False((bool?)info["assigned"]);
        Assert.Equal(info.ToJsonString(), dereferenced.ToJsonString());
    }

    [Fact]
    public async Task An_open_unread_conversation_offers_read_star_close_and_block_only()
    {
        var (member, iri) = await ConversationAsync();

        var body = await GetAsync(member.Client, iri);

        Assert.Equal(iri + "/read", (string?)body["readConversation"]);
        Assert.Null(body["unreadConversation"]);
        Assert.Equal(iri + "/star", (string?)body["starConversation"]);
        Assert.Null(body["unstarConversation"]);
        Assert.Equal(iri + "/close", (string?)body["closeConversation"]);
        Assert.Null(body["reopenConversation"]);
        Assert.Equal(iri + "/block", (string?)body["blockConversation"]);
        Assert.Null(body["unblockConversation"]);
    }

    [Fact]
    public async Task A_conversation_only_the_account_started_is_read_for_everyone()
    {
        var member = await MemberAsync();
        var slug = await api.OutboundAsync(member.Account.Id, await api.AccountNumberAsync(member.Slug), Outside, member.User.Id);

        var body = await GetAsync(member.Client, "/conversations/" + slug);

        Assert.True((bool?)body["requestingUserInfo"]!["read"]);
        Assert.Null(body["readConversation"]);
        Assert.Equal("out", (string?)body["latestPreviewableItem"]!["direction"]);
        Assert.Equal(member.User.Iri, (string?)body["latestPreviewableItem"]!["sender"]);
    }

    [Theory]
    [InlineData("%2B13035550142")]
    [InlineData("(303)%20555-0142")]
    [InlineData("303.555.0142")]
    public async Task The_account_finds_its_conversation_by_number_written_any_way(string written)
    {
        var (member, iri) = await ConversationAsync();

        var body = await GetAsync(member.Client, $"/{member.Slug}/conversations/{written}");

        Assert.Equal(iri, (string?)body["id"]);
    }

    [Fact]
    public async Task Looking_up_something_that_is_not_a_phone_number_is_422_naming_phone()
    {
        var member = await MemberAsync();

        var problem = await (await member.Client.GetAsync($"/{member.Slug}/conversations/not-a-number")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["phone"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Looking_up_a_number_the_account_never_texted_is_404()
    {
        var (member, _) = await ConversationAsync();

        await (await member.Client.GetAsync($"/{member.Slug}/conversations/%2B13035550143")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_account_links_to_its_conversations()
    {
        var member = await MemberAsync();

        var account = await GetAsync(member.Client, "/accounts/" + member.Slug);

        Assert.Equal($"/{member.Slug}/conversations", (string?)account["conversations"]);
    }

    [Fact]
    public async Task The_account_lists_its_conversations_newest_activity_first_in_keyset_pages()
    {
        var member = await MemberAsync();
        var slugs = new List<string>();
        foreach (var number in new[] { "+13035550151", "+13035550152", "+13035550153" })
        {
            slugs.Add(await api.InboundAsync(member.Slug, number));
        }

        // The first conversation has the newest activity again.
        await api.InboundAsync(member.Slug, "+13035550151", "again");
        var first = await GetAsync(member.Client, $"/{member.Slug}/conversations?$top=2");
        var second = await GetAsync(member.Client, (string)first["view"]!["next"]!);
        var back = await GetAsync(member.Client, (string)second["view"]!["previous"]!);

        Assert.Equal(3, (int?)first["totalItems"]);
        Assert.Equal(["/conversations/" + slugs[0], "/conversations/" + slugs[2]], first.MemberIds());
        Assert.Contains("cursor=", (string?)first["view"]!["next"]);
        Assert.Equal(["/conversations/" + slugs[1]], second.MemberIds());
        Assert.Null(second["view"]!["next"]);
        Assert.Equal(first.MemberIds(), back.MemberIds());
        Assert.Equal("again", (string?)first["members"]![0]!["latestPreviewableItem"]!["body"]);
    }

    [Fact]
    public async Task The_conversation_list_takes_odata_filters()
    {
        var member = await MemberAsync();
        await api.InboundAsync(member.Slug, "+13035550151");
        var closed = "/conversations/" + await api.InboundAsync(member.Slug, "+13035550152");
        await PutAsync(member.Client, closed + "/close");

        var body = await GetAsync(member.Client, $"/{member.Slug}/conversations?$filter=currentState eq 'closed'");

        Assert.Equal([closed], body.MemberIds());
        Assert.Equal(1, (int?)body["totalItems"]);
    }

    [Fact]
    public async Task The_timeline_lists_messages_newest_first_with_the_kept_total_and_keyset_pages()
    {
        var (member, iri) = await ConversationAsync();
        for (var i = 1; i <= 4; i++)
        {
            await api.InboundAsync(member.Slug, Outside, $"message {i}");
        }

        var first = await GetAsync(member.Client, iri + "/timeline?$top=2");
        var second = await GetAsync(member.Client, (string)first["view"]!["next"]!);
        var third = await GetAsync(member.Client, (string)second["view"]!["next"]!);

        Assert.Equal("Timeline", (string?)first["@type"]);
        Assert.Equal("/contexts/Timeline.jsonld", (string?)first["@context"]);
        Assert.Equal(iri + "/timeline", (string?)first["id"]);
        Assert.Equal(5, (int?)first["totalItems"]);
        string[] Bodies(JsonNode page) => [.. page["members"]!.AsArray().Select(m => (string)m!["body"]!)];
        Assert.Equal(["message 4", "message 3"], Bodies(first));
        Assert.Equal(["message 2", "message 1"], Bodies(second));
        Assert.Equal(["Hello there"], Bodies(third));
        Assert.Null(third["view"]!["next"]);
        Assert.Contains("cursor=", (string?)second["view"]!["previous"]);
        Assert.Equal((string?)first["members"]![0]!["timelinePosition"], (string?)first["latestPosition"]);
    }

    [Fact]
    public async Task The_timeline_total_is_the_count_kept_on_the_conversation_not_a_count_of_messages()
    {
        var (member, iri) = await ConversationAsync();
        var slug = iri.Split('/')[^1];
        await api.WithDbAsync(db => db.Conversations.Where(c => c.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(c => c.MessageCount, 100_000)));

        var body = await GetAsync(member.Client, iri + "/timeline");

        Assert.Equal(100_000, (int?)body["totalItems"]);
        Assert.Single(body["members"]!.AsArray());
    }

    [Fact]
    public async Task A_filtered_timeline_counts_what_the_filter_matches()
    {
        var (member, iri) = await ConversationAsync();
        await api.OutboundAsync(member.Account.Id, await api.AccountNumberAsync(member.Slug), Outside, member.User.Id, "reply");

        var body = await GetAsync(member.Client, iri + "/timeline?$filter=direction eq 'out'");

        Assert.Equal(1, (int?)body["totalItems"]);
        Assert.Equal("reply", (string?)body["members"]![0]!["body"]);
    }

    [Theory]
    [InlineData("$filter=nosuch eq 1", "$filter")]
    [InlineData("$orderby=nosuch", "$orderby")]
    [InlineData("$top=101", "$top")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task The_timeline_refuses_bad_query_options_with_400_naming_the_option(string query, string option)
    {
        var (member, iri) = await ConversationAsync();

        var problem = await (await member.Client.GetAsync($"{iri}/timeline?{query}")).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![option]);
    }

    [Fact]
    public async Task Reading_marks_the_conversation_read_to_its_latest_position_for_the_caller_only()
    {
        var (member, iri) = await ConversationAsync();
        var other = api.ClientFor(await api.CreateUserAsync(Roles.User, member.Account));

        var read = await PutAsync(member.Client, iri + "/read");
        var theirs = await GetAsync(other, iri);

        Assert.True((bool?)read["requestingUserInfo"]!["read"]);
        Assert.Equal((string?)read["latestPreviewableItem"]!["timelinePosition"], (string?)read["requestingUserInfo"]!["readToTimelinePosition"]);
        Assert.Null(read["readConversation"]);
        Assert.Equal(iri + "/read", (string?)read["unreadConversation"]);
        Assert.False((bool?)theirs["requestingUserInfo"]!["read"]);
        Assert.Equal(iri + "/read", (string?)theirs["readConversation"]);
    }

    [Fact]
    public async Task Unreading_marks_it_unread_again_and_reading_twice_is_the_same_200()
    {
        var (member, iri) = await ConversationAsync();
        await PutAsync(member.Client, iri + "/read");
        var again = await PutAsync(member.Client, iri + "/read");

        var unread = await DeleteAsync(member.Client, iri + "/read");

        Assert.True((bool?)again["requestingUserInfo"]!["read"]);
        Assert.False((bool?)unread["requestingUserInfo"]!["read"]);
        Assert.Equal(iri + "/read", (string?)unread["readConversation"]);
        Assert.Null(unread["unreadConversation"]);
    }

    [Fact]
    public async Task Starring_is_per_user_and_flips_the_star_links()
    {
        var (member, iri) = await ConversationAsync();
        var other = api.ClientFor(await api.CreateUserAsync(Roles.User, member.Account));

        var starred = await PutAsync(member.Client, iri + "/star");
        var theirs = await GetAsync(other, iri);
        var unstarred = await DeleteAsync(member.Client, iri + "/star");

        Assert.True((bool?)starred["requestingUserInfo"]!["starred"]);
        Assert.Null(starred["starConversation"]);
        Assert.Equal(iri + "/star", (string?)starred["unstarConversation"]);
        Assert.False((bool?)starred["requestingUserInfo"]!["read"]);
        Assert.False((bool?)theirs["requestingUserInfo"]!["starred"]);
        Assert.False((bool?)unstarred["requestingUserInfo"]!["starred"]);
        Assert.Equal(iri + "/star", (string?)unstarred["starConversation"]);
    }

    [Fact]
    public async Task Closing_and_reopening_flip_the_state_and_links_and_repeat_as_200()
    {
        var (member, iri) = await ConversationAsync();

        var closed = await PutAsync(member.Client, iri + "/close");
        var closedAgain = await PutAsync(member.Client, iri + "/close");
        var reopened = await PutAsync(member.Client, iri + "/reopen");

        Assert.Equal("closed", (string?)closed["currentState"]);
        Assert.Null(closed["closeConversation"]);
        Assert.Equal(iri + "/reopen", (string?)closed["reopenConversation"]);
        Assert.Equal("closed", (string?)closedAgain["currentState"]);
        Assert.Equal("open", (string?)reopened["currentState"]);
        Assert.Equal(iri + "/close", (string?)reopened["closeConversation"]);
        Assert.Null(reopened["reopenConversation"]);
        Assert.Equal(Conversation.Open, await StateAsync(iri));
    }

    [Fact]
    public async Task An_inbound_text_reopens_a_closed_conversation_and_makes_it_unread_again()
    {
        var (member, iri) = await ConversationAsync();
        await PutAsync(member.Client, iri + "/read");
        await PutAsync(member.Client, iri + "/close");

        await api.InboundAsync(member.Slug, Outside, "Are you there?");
        var body = await GetAsync(member.Client, iri);

        Assert.Equal("open", (string?)body["currentState"]);
        Assert.False((bool?)body["requestingUserInfo"]!["read"]);
        Assert.Equal("Are you there?", (string?)body["latestPreviewableItem"]!["body"]);
    }

    [Fact]
    public async Task Blocking_blocks_the_accounts_contacts_with_the_number_and_offers_only_unblock()
    {
        var (member, iri) = await ConversationAsync();
        var contact = await (await member.Client.PostJsonAsync($"/{member.Slug}/contacts", new { name = "Blocked Person", phones = new[] { new { number = Outside } } }))
            .ExpectAsync(HttpStatusCode.Created);
        var bystander = await (await member.Client.PostJsonAsync($"/{member.Slug}/contacts", new { name = "Bystander", phones = new[] { new { number = "+13035550199" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        var elsewhere = await MemberAsync();
        await (await elsewhere.Client.PostJsonAsync($"/{elsewhere.Slug}/contacts", new { name = "Same Number", phones = new[] { new { number = Outside } } }))
            .ExpectAsync(HttpStatusCode.Created);

        var blocked = await PutAsync(member.Client, iri + "/block");

        Assert.Equal("blocked", (string?)blocked["currentState"]);
        Assert.True((bool?)blocked["blocked"]);
        Assert.Null(blocked["closeConversation"]);
        Assert.Null(blocked["reopenConversation"]);
        Assert.Null(blocked["blockConversation"]);
        Assert.Equal(iri + "/block", (string?)blocked["unblockConversation"]);
        Assert.True((bool?)(await GetAsync(member.Client, (string)contact["id"]!))["blocked"]);
        Assert.False((bool?)(await GetAsync(member.Client, (string)bystander["id"]!))["blocked"]);
        Assert.Equal(0, await api.WithDbAsync(db => db.Contacts.CountAsync(c => c.AccountId == elsewhere.Account.Id && c.BlockedAt != null)));
    }

    [Fact]
    public async Task Unblocking_reopens_the_conversation_and_unblocks_its_contacts()
    {
        var (member, iri) = await ConversationAsync();
        var contact = await (await member.Client.PostJsonAsync($"/{member.Slug}/contacts", new { name = "Blocked Person", phones = new[] { new { number = Outside } } }))
            .ExpectAsync(HttpStatusCode.Created);
        await PutAsync(member.Client, iri + "/block");

        var unblocked = await DeleteAsync(member.Client, iri + "/block");

        Assert.Equal("open", (string?)unblocked["currentState"]);
        Assert.Equal(iri + "/block", (string?)unblocked["blockConversation"]);
        Assert.Null(unblocked["unblockConversation"]);
        Assert.False((bool?)(await GetAsync(member.Client, (string)contact["id"]!))["blocked"]);
    }

    [Theory]
    [InlineData("close")]
    [InlineData("reopen")]
    public async Task Closing_or_reopening_a_blocked_conversation_is_409_and_leaves_it_blocked(string action)
    {
        var (member, iri) = await ConversationAsync();
        await PutAsync(member.Client, iri + "/block");

        await (await member.Client.PutAsync($"{iri}/{action}", null)).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(Conversation.Blocked, await StateAsync(iri));
    }

    [Fact]
    public async Task Unblocking_a_conversation_that_is_not_blocked_changes_nothing()
    {
        var (member, iri) = await ConversationAsync();
        await PutAsync(member.Client, iri + "/close");

        var body = await DeleteAsync(member.Client, iri + "/block");

        Assert.Equal("closed", (string?)body["currentState"]);
    }

    [Fact]
    public async Task Parallel_state_changes_on_one_conversation_never_fail()
    {
        var (member, iri) = await ConversationAsync();
        string[] actions = ["close", "reopen", "block", "read", "star"];

        var responses = await Concurrently.SendAsync(20, i => i % 7 == 6
            ? member.Client.DeleteAsync(iri + "/block")
            : member.Client.PutAsync($"{iri}/{actions[i % actions.Length]}", null));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)r.StatusCode}"));
        Assert.Equal(1, await api.WithDbAsync(db => db.ConversationUserStates.CountAsync(s => s.UserId == member.User.Id)));
    }

    [Fact]
    public async Task Assigning_a_member_answers_200_with_the_assignment()
    {
        var (member, iri) = await ConversationAsync();
        var colleague = await api.CreateUserAsync(Roles.User, member.Account);

        var assignment = await (await member.Client.PostJsonAsync(iri + "/assignments", new { assignee = colleague.Iri })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("ConversationAssignment", (string?)assignment["@type"]);
        Assert.StartsWith("/assignments/", (string?)assignment["id"]);
        Assert.Equal("User", (string?)assignment["assignee"]!["@type"]);
        Assert.Equal(colleague.Iri, (string?)assignment["assignee"]!["id"]);
        Assert.Equal("Test " + colleague.Slug, (string?)assignment["assignee"]!["name"]);
        Assert.Equal(member.User.Iri, (string?)assignment["assigner"]);
        Assert.Equal(iri, (string?)assignment["conversation"]);
        Assert.Equal(assignment.ToJsonString(), (await GetAsync(member.Client, (string)assignment["id"]!)).ToJsonString());
        var listed = await GetAsync(member.Client, iri + "/assignments");
        Assert.Equal([(string)assignment["id"]!], listed.MemberIds());
    }

    [Fact]
    public async Task Assigning_yourself_shows_as_assigned_in_your_user_info_only()
    {
        var (member, iri) = await ConversationAsync();
        var other = api.ClientFor(await api.CreateUserAsync(Roles.User, member.Account));

        await (await member.Client.PostJsonAsync(iri + "/assignments", new { assignee = member.User.Iri })).ExpectAsync(HttpStatusCode.OK);

        Assert.True((bool?)(await GetAsync(member.Client, iri))["requestingUserInfo"]!["assigned"]);
        Assert.False((bool?)(await GetAsync(other, iri))["requestingUserInfo"]!["assigned"]);
    }

    [Fact]
    public async Task Assigning_the_same_user_twice_answers_the_same_assignment()
    {
        var (member, iri) = await ConversationAsync();

        var first = await (await member.Client.PostJsonAsync(iri + "/assignments", new { assignee = member.User.Iri })).ExpectAsync(HttpStatusCode.OK);
        var second = await (await member.Client.PostJsonAsync(iri + "/assignments", new { assignee = member.User.Iri })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal((string?)first["id"], (string?)second["id"]);
        Assert.Equal(1, await api.WithDbAsync(db => db.ConversationAssignments.CountAsync(a => a.AssigneeId == member.User.Id)));
    }

    [Theory]
    [InlineData("another account's user")]
    [InlineData("/contacts/notauser")]
    [InlineData("/users/doesnotexist")]
    public async Task Assigning_anyone_but_a_member_of_the_account_is_422_naming_assignee(string assignee)
    {
        var (member, iri) = await ConversationAsync();
        var stranger = await api.CreateUserAsync(Roles.User, await api.CreateAccountAsync());

        var problem = await (await member.Client.PostJsonAsync(iri + "/assignments", new { assignee = assignee == "another account's user" ? stranger.Iri : assignee }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["assignee"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, await api.WithDbAsync(db => db.ConversationAssignments.CountAsync(a => a.AssigneeId == stranger.Id)));
    }

    [Fact]
    public async Task Parallel_assignments_of_one_user_make_one_row_and_every_answer_is_that_assignment()
    {
        var (member, iri) = await ConversationAsync();

        var responses = await Concurrently.SendAsync(12, _ => member.Client.PostJsonAsync(iri + "/assignments", new { assignee = member.User.Iri }));

        Assert.Equal(new Dictionary<int, int> { [200] = 12 }, responses.CountByStatus());
        var ids = await Task.WhenAll(responses.Select(async r => (string)(await r.JsonAsync())["id"]!));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await api.WithDbAsync(db => db.ConversationAssignments.CountAsync(a => a.AssigneeId == member.User.Id)));
    }

    [Fact]
    public async Task Removing_an_assignment_answers_it_and_a_second_removal_is_404()
    {
        var (member, iri) = await ConversationAsync();
        var assignment = await (await member.Client.PostJsonAsync(iri + "/assignments", new { assignee = member.User.Iri })).ExpectAsync(HttpStatusCode.OK);
        var assignmentIri = (string)assignment["id"]!;

        var removed = await DeleteAsync(member.Client, assignmentIri);

        Assert.Equal(assignment.ToJsonString(), removed.ToJsonString());
        Assert.Equal(0, await api.WithDbAsync(db => db.ConversationAssignments.CountAsync(a => a.AssigneeId == member.User.Id)));
        Assert.False((bool?)(await GetAsync(member.Client, iri))["requestingUserInfo"]!["assigned"]);
        await (await member.Client.DeleteAsync(assignmentIri)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Assigning_a_contact_with_the_number_embeds_it()
    {
        var (member, iri) = await ConversationAsync();
        var contact = await (await member.Client.PostJsonAsync($"/{member.Slug}/contacts", new { name = "Picked Person", phones = new[] { new { number = Outside } } }))
            .ExpectAsync(HttpStatusCode.Created);

        var body = await (await member.Client.PutJsonAsync(iri + "/assign_contact", new { assigned_contact = (string)contact["id"]! })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Contact", (string?)body["assignedContact"]!["@type"]);
        Assert.Equal((string?)contact["id"], (string?)body["assignedContact"]!["id"]);
        Assert.Equal("Picked Person", (string?)body["assignedContact"]!["name"]);
    }

    [Theory]
    [InlineData("other number")]
    [InlineData("other account")]
    [InlineData("/users/notacontact")]
    public async Task Assigning_a_contact_without_the_number_or_of_another_account_is_422_naming_it(string which)
    {
        var (member, iri) = await ConversationAsync();
        var elsewhere = await MemberAsync();
        var (client, account, number) = which == "other account" ? (elsewhere.Client, elsewhere.Slug, Outside) : (member.Client, member.Slug, "+13035550199");
        var contact = await (await client.PostJsonAsync($"/{account}/contacts", new { name = "Wrong", phones = new[] { new { number } } })).ExpectAsync(HttpStatusCode.Created);

        var problem = await (await member.Client.PutJsonAsync(iri + "/assign_contact", new { assigned_contact = which.StartsWith('/') ? which : (string)contact["id"]! }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["assignedContact"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Null((await GetAsync(member.Client, iri))["assignedContact"]);
    }

    [Fact]
    public async Task Associated_contacts_are_the_accounts_contacts_with_the_number()
    {
        var (member, iri) = await ConversationAsync();
        var first = await (await member.Client.PostJsonAsync($"/{member.Slug}/contacts", new { name = "A Person", phones = new[] { new { number = Outside } } }))
            .ExpectAsync(HttpStatusCode.Created);
        var second = await (await member.Client.PostJsonAsync($"/{member.Slug}/contacts", new { name = "B Person", phones = new[] { new { number = "3035550199" }, new { number = Outside } } }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await member.Client.PostJsonAsync($"/{member.Slug}/contacts", new { name = "C Person", phones = new[] { new { number = "3035550198" } } }))
            .ExpectAsync(HttpStatusCode.Created);

        var body = await GetAsync(member.Client, iri + "/associated_contacts");

        Assert.Equal([(string)first["id"]!, (string)second["id"]!], body.MemberIds());
    }

    [Fact]
    public async Task A_contacts_conversations_are_those_of_its_numbers_in_the_callers_accounts()
    {
        var (member, iri) = await ConversationAsync();
        var second = await api.CreateAccountAsync();
        var both = await api.CreateUserAsync(Roles.User, member.Account, second);
        var client = api.ClientFor(both);
        var inSecond = "/conversations/" + await api.InboundAsync(second.Slug, Outside);
        var hidden = await api.CreateAccountAsync();
        await api.InboundAsync(hidden.Slug, Outside);
        await api.InboundAsync(member.Slug, "+13035550199");
        var contact = await (await client.PostJsonAsync($"/{member.Slug}/contacts", new { name = "Everywhere", phones = new[] { new { number = Outside } } }))
            .ExpectAsync(HttpStatusCode.Created);

        var body = await GetAsync(client, (string)contact["conversations"]!);

        Assert.Equal((string?)contact["id"] + "/conversations", (string?)contact["conversations"]);
        Assert.Equal([inSecond, iri], body.MemberIds());
    }

    [Fact]
    public async Task Another_accounts_conversation_is_404_on_every_route()
    {
        var (member, iri) = await ConversationAsync();
        var assignment = await (await member.Client.PostJsonAsync(iri + "/assignments", new { assignee = member.User.Iri })).ExpectAsync(HttpStatusCode.OK);
        var outsider = (await MemberAsync()).Client;
        var assignee = new { assignee = member.User.Iri };
        Func<Task<HttpResponseMessage>>[] requests =
        [
            () => outsider.GetAsync(iri),
            () => outsider.GetAsync(iri + "/user_info"),
            () => outsider.GetAsync(iri + "/timeline"),
            () => outsider.GetAsync(iri + "/assignments"),
            () => outsider.GetAsync(iri + "/associated_contacts"),
            () => outsider.GetAsync($"/{member.Slug}/conversations"),
            () => outsider.GetAsync($"/{member.Slug}/conversations/%2B13035550142"),
            () => outsider.GetAsync((string)assignment["id"]!),
            () => outsider.DeleteAsync((string)assignment["id"]!),
            () => outsider.PostJsonAsync(iri + "/assignments", assignee),
            () => outsider.PutJsonAsync(iri + "/assign_contact", new { assigned_contact = "/contacts/x" }),
            () => outsider.PutAsync(iri + "/read", null),
            () => outsider.DeleteAsync(iri + "/read"),
            () => outsider.PutAsync(iri + "/star", null),
            () => outsider.DeleteAsync(iri + "/star"),
            () => outsider.PutAsync(iri + "/close", null),
            () => outsider.PutAsync(iri + "/reopen", null),
            () => outsider.PutAsync(iri + "/block", null),
            () => outsider.DeleteAsync(iri + "/block"),
        ];

        foreach (var send in requests)
        {
            await (await send()).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(Conversation.Open, await StateAsync(iri));
        Assert.Equal(1, await api.WithDbAsync(db => db.ConversationAssignments.CountAsync(a => a.AssigneeId == member.User.Id)));
        Assert.Equal(0, await api.WithDbAsync(db => db.ConversationUserStates.CountAsync(s => s.UserId != member.User.Id && db.Set<Conversation>().Any(c => c.Id == s.ConversationId && c.AccountId == member.Account.Id))));
    }
}
