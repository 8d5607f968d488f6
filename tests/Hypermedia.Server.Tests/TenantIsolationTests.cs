using System.Net;
using Hypermedia.Server.Features.Conversations;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests;

/// <summary>
/// A member of one account gets 404 for every resource of an account they do not belong to, on
/// every documented route that names a resource, and nothing of the other account changes. The routes
/// come from the API documentation, so a new area's routes are in the matrix as soon as they exist.
/// </summary>
public sealed class TenantIsolationTests(TenantIsolationTests.Fixture fixture) : IClassFixture<TenantIsolationTests.Fixture>
{
    /// <summary>A body every write accepts if it gets that far: a route that skipped the check would answer 2xx or 422, not 404.</summary>
    private const string WriteBody = """{"name":"pwned","content":"pwned","description":"pwned"}""";

    public sealed class Fixture : IAsyncLifetime
    {
        public ApiFactory Api { get; } = new();

        public Dictionary<string, string> Values { get; private set; } = [];

        public HttpClient Outsider { get; private set; } = null!;

        public string VictimSlug { get; private set; } = "";

        public long VictimId { get; private set; }

        public async Task InitializeAsync()
        {
            await Api.InitializeAsync();
            var victim = await Api.CreateAccountAsync("victim");
            var owner = await Api.CreateUserAsync(Roles.Admin, victim);
            Values = await RealResources.CreateAsync(Api, Api.ClientFor(owner), victim.Slug, owner.Slug);
            (VictimSlug, VictimId) = (victim.Slug, victim.Id);

            // An invitation is a bearer IRI: whoever holds a live one may claim it, from any account.
            // The matrix holds a spent one, which must reveal nothing to anybody.
            await (await Api.CreateClient().PostAsync("/invitations/" + Values["invitations/{key}"], null)).ExpectAsync(HttpStatusCode.Created);

            var outsiderAccount = await Api.CreateAccountAsync("outsider");
            Outsider = Api.ClientFor(await Api.CreateUserAsync(Roles.Admin, outsiderAccount));
        }

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    /// <summary>
    /// Every route naming a resource, but contexts (public) and staff levels (server-level, not any
    /// account's: only staff operators reach them, everyone else is a 403 before any lookup; StaffTests
    /// holds that matrix).
    /// </summary>
    private async Task<List<DocumentedOperation>> ResourceRoutesAsync() =>
        [.. (await fixture.Api.DocumentedOperationsAsync()).Where(o => o.Route.Contains('{')
            && !o.Route.StartsWith("/contexts/", StringComparison.Ordinal) && !o.Route.StartsWith("/staff/", StringComparison.Ordinal))];

    /// <summary>Calls every resource route as the outsider; returns the answers that were not 404 problems.</summary>
    private async Task<List<string>> SweepAsync()
    {
        var leaks = new List<string>();
        foreach (var operation in await ResourceRoutesAsync())
        {
            var request = new HttpRequestMessage(new HttpMethod(operation.Method), RealResources.Fill(operation.Route, fixture.Values));
            if (operation.Method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent(WriteBody, System.Text.Encoding.UTF8, "application/json");
            }

            var response = await fixture.Outsider.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.NotFound || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                leaks.Add($"{operation.Method} {operation.Route}: {(int)response.StatusCode}");
            }
        }

        return leaks;
    }

    [Fact]
    public async Task Another_accounts_resource_is_404_on_every_route()
    {
        Assert.Empty(await SweepAsync());
    }

    [Fact]
    public async Task The_sweep_reaches_every_account_scoped_endpoint()
    {
        var routes = await ResourceRoutesAsync();
        var accountScoped = fixture.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AccountScopedMetadata>() is not null)
            .ToList();

        Assert.True(routes.Count >= 30, $"only {routes.Count} resource routes documented");
        Assert.NotEmpty(accountScoped);
        Assert.All(accountScoped, e => Assert.Contains(routes, o => o.Route == "/" + e.RoutePattern.RawText!.Trim('/')));
    }

    [Fact]
    public async Task Nothing_of_the_other_account_changed()
    {
        await SweepAsync();

        var slug = fixture.VictimSlug;
        var values = fixture.Values;
        Assert.Equal("Account " + slug, await fixture.Api.WithDbAsync(db => db.Accounts.Where(a => a.Slug == slug).Select(a => a.Name).SingleAsync()));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.Contacts.CountAsync(c => c.Account!.Slug == slug && c.Name == "Real Person" && c.BlockedAt == null)));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.ContactNotes.CountAsync(n => n.Contact!.Account!.Slug == slug)));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.OptOuts.CountAsync(o => o.AccountId == fixture.VictimId && o.Active && o.PhoneNumber == "+13035550171")));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.Memberships.CountAsync(m => m.Slug == values["memberships/{membership}"])));
        Assert.Equal(0, await fixture.Api.WithDbAsync(db => db.ApiTokens.CountAsync(t => t.User!.Slug == values["users/{id}"] && t.RevokedAt != null)));
        Assert.Equal(2, await fixture.Api.WithDbAsync(db => db.ApiTokens.CountAsync(t => t.User!.Slug == values["users/{id}"])));
        Assert.Equal(Conversation.Open, await fixture.Api.WithDbAsync(db => db.Conversations.Where(c => c.Slug == values["conversations/{id}"]).Select(c => c.State).SingleAsync()));
        Assert.Equal(0, await fixture.Api.WithDbAsync(db => db.ConversationUserStates.CountAsync(s => db.Set<Conversation>().Any(c => c.Id == s.ConversationId && c.Slug == values["conversations/{id}"]))));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.ConversationAssignments.CountAsync(a => a.Slug == values["assignments/{id}"])));
        Assert.Equal(["Real calendar", "Real field"], await fixture.Api.WithDbAsync(db => db.CustomFields.Where(f => f.AccountId == fixture.VictimId).Select(f => f.Title).OrderBy(t => t).ToListAsync()));
        Assert.Equal(["Real content"], await fixture.Api.WithDbAsync(db => db.SavedReplies.Where(r => r.User!.Slug == values["users/{id}"]).Select(r => r.Content).ToListAsync()));
        Assert.Equal(1, await fixture.Api.WithDbAsync(db => db.SavedReplyAttachments.CountAsync(a => db.Set<Hypermedia.Server.Features.SavedReplies.SavedReply>().Any(r => r.Id == a.SavedReplyId && r.Slug == values["saved_replies/{id}"]))));
        Assert.Equal("Real signature", await fixture.Api.WithDbAsync(db => db.Signatures.Where(s => s.User!.Slug == values["users/{id}"]).Select(s => s.Content).SingleAsync()));
        var template = await fixture.Api.WithDbAsync(db => db.WhatsAppTemplates.Where(t => t.Slug == values["templates/{id}"]).Select(t => new { t.Status, t.DeletedAt }).SingleAsync());
        Assert.Equal((Hypermedia.Server.Features.WhatsApp.WhatsAppTemplateStatuses.Pending, (DateTimeOffset?)null), (template.Status, template.DeletedAt));
    }
}
