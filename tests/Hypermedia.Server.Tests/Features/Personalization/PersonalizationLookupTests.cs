using System.Data.Common;
using System.Net;
using Hypermedia.Server.Features.Personalization;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Features.Personalization;

/// <summary>The lookup finds, on real PostgreSQL, the values a send personalizes with, as the API wrote them.</summary>
public sealed class PersonalizationLookupTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private sealed record Arranged(long AccountId, string AccountSlug, string AccountName, TestUser Sender);

    /// <summary>An account with a contact field vip_level and a user field calendar, set through the API on a contact and on the sender.</summary>
    private async Task<Arranged> ArrangeAsync()
    {
        var account = await api.CreateAccountAsync();
        var sender = await api.CreateUserAsync(Roles.Admin, account);
        var client = api.ClientFor(sender);
        await (await client.PostJsonAsync($"/{account.Slug}/contact_schema", new { type = "text", title = "VIP level", slug = "vip_level" })).ExpectAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync($"/{account.Slug}/user_schema", new { type = "url", title = "Calendar" })).ExpectAsync(HttpStatusCode.Created);
        await (await client.PutJsonAsync(sender.Iri, new
        {
            name = "Chuck Norris",
            settings = new { customSettings = new Dictionary<string, string> { [$"/{account.Slug}/user_schema/calendar"] = "https://calend.ly/chuck-norris" } },
        })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "Old Entry", phones = new[] { new { number = "3035550150" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync($"/{account.Slug}/contacts",
            new { name = "Ada Lovelace", phones = new[] { new { number = "(303) 555-0150" } }, customFields = new { vip_level = "gold" } })).ExpectAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync($"/{account.Slug}/contacts", new { name = "Grace", phones = new[] { new { number = "3035550151" } } }))
            .ExpectAsync(HttpStatusCode.Created);
        return new Arranged(account.Id, account.Slug, account.Name, sender);
    }

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        T result = default!;
        await api.WithServicesAsync(async services => result = await work(services));
        return result;
    }

    [Fact]
    public async Task The_lookup_finds_the_contacts_and_the_senders_custom_values_set_through_the_api()
    {
        var a = await ArrangeAsync();

        var values = await InScopeAsync(s => s.GetRequiredService<PersonalizationLookup>()
            .ForManyAsync(a.AccountId, a.Sender.Id, ["+13035550150", "+13035550151", "+13035550159"], CancellationToken.None));

        var ada = values["+13035550150"];
        Assert.Equal(("Ada", "Lovelace", "Ada Lovelace", "gold"), (ada.Contact["firstName"], ada.Contact["lastName"], ada.Contact["name"], ada.Contact["vip_level"]));
        Assert.Equal(("Chuck", "Norris", "https://calend.ly/chuck-norris"), (ada.User["firstName"], ada.User["lastName"], ada.User["calendar"]));
        Assert.Equal(a.AccountName, ada.Account["name"]);
        Assert.Equal(("Grace", null, null), (values["+13035550151"].Contact["firstName"], values["+13035550151"].Contact["lastName"], values["+13035550151"].Contact["vip_level"]));
        Assert.Empty(values["+13035550159"].Contact);
        Assert.Equal("https://calend.ly/chuck-norris", values["+13035550159"].User["calendar"]);
    }

    [Fact]
    public async Task The_seed_example_renders_the_senders_calendar_from_the_database()
    {
        var a = await ArrangeAsync();

        var (template, errors, values) = await InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HypermediaDbContext>();
            var variables = await PersonalizationVariables.ForAccountAsync(db, a.AccountId, CancellationToken.None);
            var template = BodyTemplate.Parse("Check out my availability at {{user.calendar}}", variables, out var errors);
            var values = await s.GetRequiredService<PersonalizationLookup>().ForAsync(a.AccountId, a.Sender.Id, "+13035550150", CancellationToken.None);
            return (template, errors, values);
        });

        Assert.Empty(errors);
        Assert.Equal("Check out my availability at https://calend.ly/chuck-norris", template.Render(values).Text);
    }

    [Fact]
    public async Task The_accounts_variables_are_its_schemas_slugs()
    {
        var a = await ArrangeAsync();

        var variables = await InScopeAsync(s => PersonalizationVariables.ForAccountAsync(s.GetRequiredService<HypermediaDbContext>(), a.AccountId, CancellationToken.None));

        Assert.Equal(["contact.firstName", "contact.lastName", "contact.name", "contact.vip_level"], variables.Known("contact"));
        Assert.Equal(["user.firstName", "user.lastName", "user.name", "user.calendar"], variables.Known("user"));
        Assert.Equal(["account.name"], variables.Known("account"));
    }

    [Fact]
    public async Task When_several_contacts_have_the_number_the_most_recently_updated_one_counts()
    {
        var a = await ArrangeAsync();
        var client = api.ClientFor(a.Sender);
        var old = await (await client.GetAsync($"/{a.AccountSlug}/contacts?q=Old")).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync((string)old["members"]![0]!["id"]!, new { name = "Renamed Entry" })).ExpectAsync(HttpStatusCode.OK);

        var values = await InScopeAsync(s => s.GetRequiredService<PersonalizationLookup>().ForAsync(a.AccountId, a.Sender.Id, "+13035550150", CancellationToken.None));

        Assert.Equal("Renamed", values.Contact["firstName"]);
        Assert.Null(values.Contact["vip_level"]);
    }

    [Fact]
    public async Task Any_number_of_recipients_costs_three_queries()
    {
        var a = await ArrangeAsync();
        var numbers = Enumerable.Range(0, 500).Select(i => "+1303555" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var counter = new CommandCounter();
        var options = new DbContextOptionsBuilder<HypermediaDbContext>();
        HypermediaDbContext.Configure(options, api.ConnectionString).AddInterceptors(counter);
        await using var db = new HypermediaDbContext(options.Options);

        var values = await new PersonalizationLookup(db).ForManyAsync(a.AccountId, a.Sender.Id, numbers, CancellationToken.None);

        Assert.Equal(500, values.Count);
        Assert.Equal("Ada", values["+13035550150"].Contact["firstName"]);
        Assert.Equal(3, counter.Count);
    }

    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Count { get; private set; }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Count++;
            return ValueTask.FromResult(result);
        }
    }
}
