using System.Text.Json;
using Hypermedia.Server.Platform.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hypermedia.Bench;

/// <summary>
/// The floor a request could cost on this stack: bare Kestrel and raw Npgsql doing the same essential work as
/// the app — find the token by id and check its hash, check the membership, read the same rows, write a
/// document of the same shape by hand. No middleware, no EF, no JSON-LD types.
/// </summary>
public sealed class BaselineApp(string connectionString, int port) : IAsyncDisposable
{
    private readonly NpgsqlDataSource db = NpgsqlDataSource.Create(connectionString);
    private WebApplication? app;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        app = builder.Build();
        app.MapGet("/", EntryPointAsync);
        app.MapGet("/contacts/{id}", ContactAsync);
        app.MapGet("/{account}/contacts", ContactsAsync);
        await app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        await db.DisposeAsync();
    }

    private async Task EntryPointAsync(HttpContext context)
    {
        if (await UserAsync(context) is not { } user)
        {
            return;
        }

        await WriteAsync(context, json =>
        {
            Header(json, "EntryPoint", "/");
            json.WriteString("accounts", "/accounts");
            json.WriteString("me", "/users/" + user.Slug);
            json.WriteString("users", "/users");
            json.WriteString("apiDocumentation", "/api_documentation");
        });
    }

    private async Task ContactAsync(HttpContext context, string id)
    {
        if (await UserAsync(context) is not { } user)
        {
            return;
        }

        await using var command = db.CreateCommand(ContactSql + " where c.slug = $1 and m.user_id = $2");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = user.Id });
        var contacts = await ReadContactsAsync(command, context.RequestAborted);
        if (contacts.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await WriteAsync(context, json => WriteContactBody(json, contacts[0]));
    }

    private async Task ContactsAsync(HttpContext context, string account)
    {
        if (await UserAsync(context) is not { } user)
        {
            return;
        }

        var afterName = context.Request.Query["after_name"].ToString();
        var afterId = long.TryParse(context.Request.Query["after_id"], out var parsed) ? parsed : 0;
        var keyset = afterName.Length > 0 ? " and c.name >= $3 and (c.name > $3 or c.id > $4)" : "";
        await using var batch = db.CreateBatch();
        var count = new NpgsqlBatchCommand(
            "select count(*) from contacts c join accounts a on a.id = c.account_id join memberships m on m.account_id = a.id where a.slug = $1 and m.user_id = $2");
        var page = new NpgsqlBatchCommand(ContactSql + " where a.slug = $1 and m.user_id = $2" + keyset + " order by c.name, c.id limit 26");
        foreach (var command in new[] { count, page })
        {
            command.Parameters.Add(new() { Value = account });
            command.Parameters.Add(new() { Value = user.Id });
        }

        if (keyset.Length > 0)
        {
            page.Parameters.Add(new() { Value = afterName });
            page.Parameters.Add(new() { Value = afterId });
        }

        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(context.RequestAborted);
        await reader.ReadAsync(context.RequestAborted);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(context.RequestAborted);
        var rows = await ReadRowsAsync(reader, context.RequestAborted);
        var members = rows.Take(25).ToList();
        await WriteAsync(context, json =>
        {
            Header(json, "hydra:Collection", $"/{account}/contacts");
            json.WriteStartArray("members");
            foreach (var contact in members)
            {
                json.WriteStartObject();
                WriteContactBody(json, contact);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("totalItems", total);
            json.WriteStartObject("view");
            Header(json, "hydra:PartialCollectionView", $"/{account}/contacts?$top=25");
            json.WriteString("first", $"/{account}/contacts");
            if (rows.Count > 25)
            {
                json.WriteString("next", $"/{account}/contacts?after_name={Uri.EscapeDataString(members[^1].Name)}&after_id={members[^1].Id}");
            }
            else
            {
                json.WriteNull("next");
            }

            json.WriteEndObject();
        });
    }

    // One statement per contact read: the contact, its account (membership checked in the join) and its phones as JSON.
    private const string ContactSql = """
        select c.id, c.slug, c.name, c.business_name, c.tags, c.blocked_at is not null, c.created_at, c.updated_at, a.slug,
               coalesce((select json_agg(json_build_array(p.slug, p.phone_number, p.extension, p.type) order by p.position)
                         from contact_phones p where p.contact_id = c.id), '[]')::text
        from contacts c
        join accounts a on a.id = c.account_id
        join memberships m on m.account_id = c.account_id
        """;

    private sealed record ContactRow(long Id, string Slug, string Name, string? BusinessName, string[] Tags, bool Blocked,
        DateTime CreatedAt, DateTime UpdatedAt, string Account, string PhonesJson);

    private sealed record Caller(long Id, string Slug);

    private async Task<Caller?> UserAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)
            || !SecretFormat.ApiToken.TryParse(header[7..], out var tokenId, out var secret))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return null;
        }

        await using var command = db.CreateCommand("""
            select t.secret_hash, u.id, u.slug from api_tokens t join users u on u.id = t.user_id
            where t.slug = $1 and t.revoked_at is null and u.discarded_at is null
            """);
        command.Parameters.Add(new() { Value = tokenId });
        await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);
        if (!await reader.ReadAsync(context.RequestAborted) || !SecretFormat.Matches(secret, (byte[])reader[0]))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return null;
        }

        return new Caller(reader.GetInt64(1), reader.GetString(2));
    }

    private static async Task<List<ContactRow>> ReadContactsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadRowsAsync(reader, cancellationToken);
    }

    private static async Task<List<ContactRow>> ReadRowsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<ContactRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ContactRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<string[]>(4), reader.GetBoolean(5), reader.GetDateTime(6), reader.GetDateTime(7), reader.GetString(8), reader.GetString(9)));
        }

        return rows;
    }

    private static void WriteContactBody(Utf8JsonWriter json, ContactRow contact)
    {
        var iri = "/contacts/" + contact.Slug;
        Header(json, "Contact", iri);
        json.WriteString("name", contact.Name);
        json.WriteString("firstName", contact.Name.Split(' ')[0]);
        json.WriteString("lastName", contact.Name.Contains(' ', StringComparison.Ordinal) ? contact.Name[(contact.Name.IndexOf(' ', StringComparison.Ordinal) + 1)..] : null);
        json.WriteStartObject("phones");
        Header(json, "hydra:Collection", iri + "/phones");
        json.WriteStartArray("members");
        using (var phones = JsonDocument.Parse(contact.PhonesJson))
        {
            foreach (var phone in phones.RootElement.EnumerateArray())
            {
                json.WriteStartObject();
                Header(json, "ContactPhone", "/contact_phones/" + phone[0].GetString());
                json.WriteString("phoneNumber", phone[1].GetString());
                json.WriteString("formattedPhoneNumber", phone[1].GetString());
                json.WriteString("extension", phone[2].GetString());
                json.WriteString("type", phone[3].GetString());
                json.WriteString("contact", iri);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteString("notes", iri + "/notes");
        json.WriteStartObject("data");
        json.WriteString("businessName", contact.BusinessName);
        json.WriteStartArray("tags");
        foreach (var tag in contact.Tags)
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteBoolean("blocked", contact.Blocked);
        json.WriteString("blockContact", contact.Blocked ? null : iri + "/block");
        json.WriteString("unblockContact", contact.Blocked ? iri + "/block" : null);
        json.WriteString("account", "/accounts/" + contact.Account);
        json.WriteString("createdAt", contact.CreatedAt);
        json.WriteString("updatedAt", contact.UpdatedAt);
    }

    private static void Header(Utf8JsonWriter json, string type, string id)
    {
        json.WriteString("@context", $"/contexts/{type}.jsonld");
        json.WriteString("@type", type);
        json.WriteString("id", id);
    }

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> body)
    {
        context.Response.ContentType = "application/ld+json";
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
