using System.Globalization;
using System.Text.Json;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Platform;
using Hypermedia.Server.Platform.Auth;
using Hypermedia.Server.Platform.Phones;
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
        app.MapGet("/conversations/{id}/timeline", TimelineAsync);
        app.MapGet("/conversations/{id}", ConversationAsync);
        app.MapGet("/{account}/conversations", ConversationsAsync);
        app.MapPost("/{account}/messages", SendAsync);
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

    // A conversation's timeline: the conversation (membership checked in its WHERE) and 26 messages by keyset
    // on (conversation, position, id), batched; the total is the conversation's kept count, as in the app.
    // The conversation's id is a scalar subquery: joined, the planner sorted every message of the table (1.3 s).
    private async Task TimelineAsync(HttpContext context, string id)
    {
        if (await UserAsync(context) is not { } user)
        {
            return;
        }

        var after = context.Request.Query["after_position"].ToString();
        var afterId = long.TryParse(context.Request.Query["after_id"], out var parsedId) ? parsedId : 0;
        var keyset = after.Length > 0 ? " and (m.timeline_position, m.id) < ($3, $4)" : "";
        await using var batch = db.CreateBatch();
        var conversation = new NpgsqlBatchCommand(
            "select c.message_count, c.latest_activity_at from conversations c join memberships mb on mb.account_id = c.account_id where c.slug = $1 and mb.user_id = $2");
        var page = new NpgsqlBatchCommand($"""
            select {MessageColumns} from messages m join conversations c on c.id = m.conversation_id left join users u on u.id = m.sender_id
            where m.conversation_id = (select c.id from conversations c join memberships mb on mb.account_id = c.account_id where c.slug = $1 and mb.user_id = $2){keyset}
            order by m.timeline_position desc, m.id desc limit 26
            """);
        foreach (var command in new[] { conversation, page })
        {
            command.Parameters.Add(new() { Value = id });
            command.Parameters.Add(new() { Value = user.Id });
        }

        if (keyset.Length > 0)
        {
            page.Parameters.Add(new() { Value = DateTime.Parse(after, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) });
            page.Parameters.Add(new() { Value = afterId });
        }

        batch.BatchCommands.Add(conversation);
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(context.RequestAborted);
        if (!await reader.ReadAsync(context.RequestAborted))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var total = reader.GetInt32(0);
        var latest = reader.GetDateTime(1);
        await reader.NextResultAsync(context.RequestAborted);
        var rows = new List<MessageRow>();
        while (await reader.ReadAsync(context.RequestAborted))
        {
            rows.Add(ReadMessage(reader, 0));
        }

        var members = rows.Take(25).ToList();
        var iri = $"/conversations/{id}/timeline";
        await WriteAsync(context, json =>
        {
            Header(json, "Timeline", iri);
            json.WriteString("latestPosition", latest);
            json.WriteNumber("totalItems", total);
            json.WriteStartArray("members");
            foreach (var message in members)
            {
                json.WriteStartObject();
                WriteMessageBody(json, message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("view");
            Header(json, "hydra:PartialCollectionView", after.Length > 0 ? context.Request.Path + context.Request.QueryString.Value : iri);
            json.WriteString("first", iri);
            if (rows.Count > 25)
            {
                var last = members[^1];
                json.WriteString("next", $"{iri}?after_position={Uri.EscapeDataString(last.Position.ToString("O", CultureInfo.InvariantCulture))}&after_id={last.Id}");
            }
            else
            {
                json.WriteNull("next");
            }

            json.WriteEndObject();
        });
    }

    private async Task ConversationAsync(HttpContext context, string id)
    {
        if (await UserAsync(context) is not { } user)
        {
            return;
        }

        await using var command = db.CreateCommand(ConversationSql + " where c.slug = $1 and mb.user_id = $2");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = user.Id });
        await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);
        if (!await reader.ReadAsync(context.RequestAborted))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var conversation = ReadConversation(reader);
        await WriteAsync(context, json => WriteConversationBody(json, conversation));
    }

    private async Task ConversationsAsync(HttpContext context, string account)
    {
        if (await UserAsync(context) is not { } user)
        {
            return;
        }

        await using var batch = db.CreateBatch();
        var count = new NpgsqlBatchCommand(
            "select count(*) from conversations c join accounts a on a.id = c.account_id join memberships mb on mb.account_id = a.id where a.slug = $1 and mb.user_id = $2");
        var page = new NpgsqlBatchCommand(ConversationSql + " where a.slug = $1 and mb.user_id = $2 order by c.latest_activity_at desc, c.id desc limit 26");
        foreach (var command in new[] { count, page })
        {
            command.Parameters.Add(new() { Value = account });
            command.Parameters.Add(new() { Value = user.Id });
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(context.RequestAborted);
        await reader.ReadAsync(context.RequestAborted);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(context.RequestAborted);
        var rows = new List<ConversationRow>();
        while (await reader.ReadAsync(context.RequestAborted))
        {
            rows.Add(ReadConversation(reader));
        }

        var members = rows.Take(25).ToList();
        await WriteAsync(context, json =>
        {
            Header(json, "hydra:Collection", $"/{account}/conversations");
            json.WriteStartArray("members");
            foreach (var conversation in members)
            {
                json.WriteStartObject();
                WriteConversationBody(json, conversation);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("totalItems", total);
            json.WriteStartObject("view");
            Header(json, "hydra:PartialCollectionView", $"/{account}/conversations?$top=25");
            json.WriteString("first", $"/{account}/conversations");
            if (rows.Count > 25)
            {
                json.WriteString("next", $"/{account}/conversations?after_id={members[^1].Slug}");
            }
            else
            {
                json.WriteNull("next");
            }

            json.WriteEndObject();
        });
    }

    /// <summary>
    /// A send: the number checked (libphonenumber, as the app), the account, membership, restriction, opt-out and
    /// blocking in one statement, then the conversation upsert and the message insert in one transaction, and the
    /// message's document. No job is enqueued: that is the app's extra cost, reported beside the ratio.
    /// </summary>
    private async Task SendAsync(HttpContext context, string account)
    {
        if (await UserAsync(context) is not { } user)
        {
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var to = request.RootElement.TryGetProperty("to", out var toElement) && toElement.ValueKind == JsonValueKind.String ? toElement.GetString() : null;
        var body = request.RootElement.TryGetProperty("body", out var bodyElement) && bodyElement.ValueKind == JsonValueKind.String ? bodyElement.GetString() : null;
        if (to is null || !PhoneNumber.TryParse(to, out var number, out _) || !number.IsValid
            || string.IsNullOrWhiteSpace(body) || body.Length > MessageRules.MaxBodyLength)
        {
            context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return;
        }

        await using var command = db.CreateCommand("""
            select a.id, a.phone_numbers[1], a.messaging_restricted,
                   exists(select 1 from opt_outs o where o.account_id = a.id and o.phone_number = $3 and o.active),
                   exists(select 1 from conversations c where c.account_id = a.id and c.phone_number = $3 and c.state = 'blocked')
                   or exists(select 1 from contact_phones p join contacts ct on ct.id = p.contact_id
                             where p.account_id = a.id and p.phone_number = $3 and ct.blocked_at is not null)
            from accounts a join memberships mb on mb.account_id = a.id where a.slug = $1 and mb.user_id = $2
            """);
        command.Parameters.Add(new() { Value = account });
        command.Parameters.Add(new() { Value = user.Id });
        command.Parameters.Add(new() { Value = number.E164 });
        long accountId;
        string from;
        await using (var reader = await command.ExecuteReaderAsync(context.RequestAborted))
        {
            if (!await reader.ReadAsync(context.RequestAborted))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            if (reader.IsDBNull(1) || reader.GetBoolean(2) || reader.GetBoolean(3) || reader.GetBoolean(4))
            {
                context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return;
            }

            (accountId, from) = (reader.GetInt64(0), reader.GetString(1));
        }

        var message = await AcceptAsync(db, accountId, number.E164, from, body, user.Id, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = "/messages/" + message.Slug;
        await WriteAsync(context, json => WriteMessageBody(json, message with { SenderSlug = user.Slug }));
    }

    /// <summary>The rows a send writes: the conversation upsert (the ledger's statement) and the message, in one transaction.</summary>
    public static async Task<MessageRow> AcceptAsync(NpgsqlDataSource db, long accountId, string to, string from, string body, long senderId, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var upsert = new NpgsqlCommand("""
            insert into conversations (slug, account_id, phone_number, account_phone_number, state, latest_activity_at, latest_inbound_at, message_count, created_at)
            values ($1, $2, $3, $4, 'open', $5, null, 1, $5)
            on conflict (account_id, phone_number) do update set
                message_count = conversations.message_count + 1,
                account_phone_number = excluded.account_phone_number,
                latest_activity_at = greatest(conversations.latest_activity_at, excluded.latest_activity_at),
                latest_inbound_at = greatest(conversations.latest_inbound_at, excluded.latest_inbound_at),
                state = case when excluded.latest_inbound_at is not null and conversations.state = 'closed' then 'open' else conversations.state end
            returning id, slug
            """, connection, transaction);
        upsert.Parameters.Add(new() { Value = Slugs.New() });
        upsert.Parameters.Add(new() { Value = accountId });
        upsert.Parameters.Add(new() { Value = to });
        upsert.Parameters.Add(new() { Value = from });
        upsert.Parameters.Add(new() { Value = now });
        long conversationId;
        string conversationSlug;
        await using (var reader = await upsert.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (conversationId, conversationSlug) = (reader.GetInt64(0), reader.GetString(1));
        }

        var slug = Slugs.New();
        await using var insert = new NpgsqlCommand("""
            insert into messages (slug, account_id, conversation_id, phone_number, account_phone_number, direction, body, delivery_state, channel, source, flags,
                                  sender_id, carrier, timeline_position, latest_event_at, created_at)
            values ($1, $2, $3, $4, $5, 'out', $6, 'queued', 'sms', 'api', '{}', $7, 'simulator', $8, $8, $8)
            returning id
            """, connection, transaction);
        foreach (var value in new object[] { slug, accountId, conversationId, to, from, body, senderId, now })
        {
            insert.Parameters.Add(new() { Value = value });
        }

        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return new MessageRow(id, slug, "out", to, from, body, now, "queued", null, conversationSlug, null, now, [], "api", "sms");
    }

    private const string MessageColumns = """
        m.id, m.slug, m.direction, m.phone_number, m.account_phone_number, m.body, m.timeline_position, m.delivery_state, m.failure_reason,
        c.slug, u.slug, m.latest_event_at, m.flags, m.source, m.channel
        """;

    // One statement per conversation: the caller's flags and assignment, the assigned contact and the newest message (lateral).
    private const string ConversationSql = """
        select c.slug, c.state, a.slug, c.phone_number, c.account_phone_number, c.latest_inbound_at is null,
               s.read, s.read_to_timeline_position, s.starred,
               exists(select 1 from conversation_assignments x where x.conversation_id = c.id and x.assignee_id = mb.user_id),
               ac.slug, ac.name,
               m.id, m.slug, m.direction, m.phone_number, m.account_phone_number, m.body, m.timeline_position, m.delivery_state, m.failure_reason,
               c.slug, m.sender_slug, m.latest_event_at, m.flags, m.source, m.channel
        from conversations c
        join accounts a on a.id = c.account_id
        join memberships mb on mb.account_id = c.account_id
        left join conversation_user_states s on s.conversation_id = c.id and s.user_id = mb.user_id
        left join contacts ac on ac.id = c.assigned_contact_id
        left join lateral (select l.*, u.slug as sender_slug from messages l left join users u on u.id = l.sender_id
                           where l.conversation_id = c.id order by l.timeline_position desc, l.id desc limit 1) m on true
        """;

    public sealed record MessageRow(long Id, string Slug, string Direction, string PhoneNumber, string AccountPhoneNumber, string Body, DateTime Position,
        string State, string? FailureReason, string ConversationSlug, string? SenderSlug, DateTime LatestEventAt, string[] Flags, string Source, string Channel);

    private sealed record ConversationRow(string Slug, string State, string Account, string PhoneNumber, string AccountPhoneNumber, bool NeverInbound,
        bool? Read, DateTime? ReadTo, bool? Starred, bool Assigned, string? ContactSlug, string? ContactName, MessageRow? Latest);

    private static MessageRow ReadMessage(NpgsqlDataReader reader, int at) => new(
        reader.GetInt64(at), reader.GetString(at + 1), reader.GetString(at + 2), reader.GetString(at + 3), reader.GetString(at + 4), reader.GetString(at + 5),
        reader.GetDateTime(at + 6), reader.GetString(at + 7), reader.IsDBNull(at + 8) ? null : reader.GetString(at + 8), reader.GetString(at + 9),
        reader.IsDBNull(at + 10) ? null : reader.GetString(at + 10), reader.GetDateTime(at + 11), reader.GetFieldValue<string[]>(at + 12),
        reader.GetString(at + 13), reader.GetString(at + 14));

    private static ConversationRow ReadConversation(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetBoolean(5),
        reader.IsDBNull(6) ? null : reader.GetBoolean(6), reader.IsDBNull(7) ? null : reader.GetDateTime(7), reader.IsDBNull(8) ? null : reader.GetBoolean(8),
        reader.GetBoolean(9), reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11),
        reader.IsDBNull(12) ? null : ReadMessage(reader, 12));

    private static void WriteMessageBody(Utf8JsonWriter json, MessageRow message)
    {
        var iri = "/messages/" + message.Slug;
        var outgoing = message.Direction == "out";
        var retryAllowed = message.State is "failed_transient" or "unknown";
        Header(json, "Message", iri);
        json.WriteString("direction", message.Direction);
        json.WriteString("from", outgoing ? message.AccountPhoneNumber : message.PhoneNumber);
        json.WriteString("to", outgoing ? message.PhoneNumber : message.AccountPhoneNumber);
        json.WriteString("body", message.Body);
        json.WriteString("displayTimestamp", message.Position);
        json.WriteString("timelinePosition", message.Position);
        json.WriteString("deliveryState", message.State);
        var words = message.State switch
        {
            "queued" => "Message Queued",
            "delivered" => "Message Delivered",
            "received" => "Inbound Message Received",
            _ => message.State,
        };
        json.WriteString("friendlyStateDescription", message.FailureReason is null ? words : $"{words} ({message.FailureReason})");
        json.WriteString("conversation", "/conversations/" + message.ConversationSlug);
        json.WriteString("sender", message.SenderSlug is null ? null : "/users/" + message.SenderSlug);
        json.WriteString("attachments", iri + "/attachments");
        json.WriteBoolean("retryAllowed", retryAllowed);
        json.WriteString("retry", retryAllowed ? iri + "/retry" : null);
        json.WriteString("latestEventAt", message.LatestEventAt);
        json.WriteStartArray("flags");
        foreach (var flag in message.Flags)
        {
            json.WriteStringValue(flag);
        }

        json.WriteEndArray();
        json.WriteString("source", message.Source);
        json.WriteString("channel", message.Channel);
    }

    private static void WriteConversationBody(Utf8JsonWriter json, ConversationRow conversation)
    {
        var iri = "/conversations/" + conversation.Slug;
        var read = conversation.Read ?? conversation.NeverInbound;
        var starred = conversation.Starred ?? false;
        var blocked = conversation.State == "blocked";
        Header(json, "Conversation", iri);
        json.WriteString("slug", conversation.Slug);
        json.WriteString("currentState", conversation.State);
        json.WriteBoolean("blocked", blocked);
        json.WriteString("account", "/accounts/" + conversation.Account);
        json.WriteString("phoneNumber", conversation.PhoneNumber);
        json.WriteString("formattedPhoneNumber", conversation.PhoneNumber);
        json.WriteString("accountPhoneNumber", conversation.AccountPhoneNumber);
        json.WriteString("formattedAccountPhoneNumber", conversation.AccountPhoneNumber);
        json.WriteStartObject("requestingUserInfo");
        Header(json, "ConversationUserInfo", iri + "/user_info");
        json.WriteBoolean("read", read);
        if (conversation.ReadTo is { } readTo)
        {
            json.WriteString("readToTimelinePosition", readTo);
        }
        else
        {
            json.WriteNull("readToTimelinePosition");
        }

        json.WriteBoolean("starred", starred);
        json.WriteBoolean("assigned", conversation.Assigned);
        json.WriteEndObject();
        if (conversation.ContactSlug is { } contact)
        {
            json.WriteStartObject("assignedContact");
            json.WriteString("id", "/contacts/" + contact);
            json.WriteString("name", conversation.ContactName);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("assignedContact");
        }

        json.WriteString("associatedContacts", iri + "/associated_contacts");
        json.WriteString("assignments", iri + "/assignments");
        if (conversation.Latest is { } latest)
        {
            json.WriteStartObject("latestPreviewableItem");
            WriteMessageBody(json, latest);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("latestPreviewableItem");
        }

        json.WriteString("timeline", iri + "/timeline");
        json.WriteString("assignContact", iri + "/assign_contact");
        json.WriteString("readConversation", read ? null : iri + "/read");
        json.WriteString("unreadConversation", read ? iri + "/read" : null);
        json.WriteString("starConversation", starred ? null : iri + "/star");
        json.WriteString("unstarConversation", starred ? iri + "/star" : null);
        json.WriteString("closeConversation", conversation.State == "open" ? iri + "/close" : null);
        json.WriteString("reopenConversation", conversation.State == "closed" ? iri + "/reopen" : null);
        json.WriteString("blockConversation", blocked ? null : iri + "/block");
        json.WriteString("unblockConversation", blocked ? iri + "/block" : null);
    }

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
