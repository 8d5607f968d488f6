using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Hypermedia.Server.Tests.Features.Attachments;

/// <summary>The app with loopback allowed to the outbound guard (the file server runs there) and a short fetch timeout.</summary>
public sealed class AttachmentsApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Outbound:TimeoutSeconds", "2");
    }
}

/// <summary>
/// Sending with an attachment fetched from a real HTTP server on loopback: the size limit's edge, the type
/// rules, the guard's refusals (a redirect to a private address, a slow answer; names and addresses
/// refused under the guard's defaults are in <see cref="AttachmentGuardDefaultsTests"/>), one file per message, and what is stored and served.
/// </summary>
public sealed class AttachmentsTests(AttachmentsApiFactory api) : IClassFixture<AttachmentsApiFactory>, IAsyncLifetime
{
    private const string Recipient = "+13032261234";
    private LoopbackFileServer files = null!;

    public async Task InitializeAsync() => files = await LoopbackFileServer.StartAsync();

    public async Task DisposeAsync() => await files.DisposeAsync();

    private async Task<(Account Account, HttpClient Client)> MemberAsync()
    {
        var account = await api.CreateAccountAsync();
        return (account, api.ClientFor(await api.CreateUserAsync(Roles.User, account)));
    }

    private static object Attaching(string url, string? contentType) => new[] { new { media_url = url, content_type = contentType } };

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, Account account, object attachments, object? to = null, string? body = "New phone who dis?") =>
        client.PostJsonAsync($"/{account.Slug}/messages", new { to = to ?? new[] { Recipient }, body, attachments });

    private async Task AssertNothingWrittenAsync(Account account)
    {
        Assert.Equal(0, await api.WithDbAsync(db => db.Messages.CountAsync(m => m.AccountId == account.Id)));
        Assert.Equal(0, await api.WithDbAsync(db => db.Attachments.CountAsync(a => a.AccountId == account.Id)));
    }

    private static string Error(JsonNode problem, string field) => string.Join(" ", problem["errors"]![field]!.AsArray().Select(e => (string?)e));

    [Fact]
    public async Task The_seed_example_sends_one_png_and_the_message_lists_it()
    {
        var (account, client) = await MemberAsync();
        files.Serve("/example.png", AttachmentFiles.Png, "image/png");

        var message = await (await SendAsync(client, account, Attaching(files.Url("/example.png").ToString(), "image/png"))).ExpectAsync(HttpStatusCode.Created);
        var list = await (await client.GetAsync((string)message["attachments"]!)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(1, (int?)list["totalItems"]);
        var attachment = list["members"]![0]!;
        Assert.Equal("Attachment", (string?)attachment["@type"]);
        Assert.Equal("/contexts/Attachment.jsonld", (string?)attachment["@context"]);
        Assert.StartsWith("/attachments/", (string?)attachment["id"]);
        Assert.Equal(AttachmentFiles.Sha256Key(AttachmentFiles.Png, "png"), (string?)attachment["key"]);
        Assert.Equal("/media/" + (string?)attachment["key"], (string?)attachment["url"]);
        Assert.Equal((string?)attachment["id"] + "/download", (string?)attachment["downloadUrl"]);
        Assert.Equal("image/png", (string?)attachment["contentType"]);
        Assert.Equal(AttachmentFiles.Png.Length, (int?)attachment["size"]);
        Assert.Equal(1, (int?)attachment["width"]);
        Assert.Equal(1, (int?)attachment["height"]);
        Assert.Equal("example.png", (string?)attachment["originalFilename"]);
        Assert.Equal("New phone who dis?", (string?)message["body"]);
        Assert.True(File.Exists(Path.Combine(api.BlobDirectory, (string)attachment["key"]!)));
    }

    [Fact]
    public async Task The_file_is_served_with_its_type_and_nosniff_to_members_and_by_key_to_carriers()
    {
        var (account, client) = await MemberAsync();
        files.Serve("/card.vcf", AttachmentFiles.VCard, "text/vcard");
        var message = await (await SendAsync(client, account, Attaching(files.Url("/card.vcf").ToString(), "text/vcard"))).ExpectAsync(HttpStatusCode.Created);
        var attachment = (await (await client.GetAsync((string)message["attachments"]!)).ExpectAsync(HttpStatusCode.OK))["members"]![0]!;

        var download = await client.GetAsync((string)attachment["downloadUrl"]!);
        var media = await api.CreateClient().GetAsync((string)attachment["url"]!);

        foreach (var served in new[] { download, media })
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal("text/vcard", served.Content.Headers.ContentType?.MediaType);
            Assert.Equal(["nosniff"], served.Headers.GetValues("X-Content-Type-Options"));
            Assert.Equal(AttachmentFiles.VCard, await served.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync((string)attachment["downloadUrl"]!)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.CreateClient().GetAsync("/media/" + new string('0', 64) + ".vcf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.CreateClient().GetAsync("/media/..%2Fappsettings.json")).StatusCode);
    }

    [Fact]
    public async Task A_file_of_537599_bytes_is_accepted_and_one_of_537600_is_422_naming_the_url_and_nothing_is_written()
    {
        var (account, client) = await MemberAsync();
        files.Serve("/under.pdf", AttachmentFiles.Pdf(537_599), "application/pdf");
        files.Serve("/at.pdf", AttachmentFiles.Pdf(537_600), "application/pdf");

        var accepted = await (await SendAsync(client, account, Attaching(files.Url("/under.pdf").ToString(), "application/pdf"))).ExpectAsync(HttpStatusCode.Created);
        var other = await api.CreateAccountAsync();
        var otherClient = api.ClientFor(await api.CreateUserAsync(Roles.User, other));
        var refused = await (await SendAsync(otherClient, other, Attaching(files.Url("/at.pdf").ToString(), "application/pdf"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(537_599, (int?)(await (await client.GetAsync((string)accepted["attachments"]!)).ExpectAsync(HttpStatusCode.OK))["members"]![0]!["size"]);
        Assert.Contains("too large", Error(refused, "attachments[0].mediaUrl"));
        Assert.Contains("537,600", Error(refused, "attachments[0].mediaUrl"));
        await AssertNothingWrittenAsync(other);
    }

    [Fact]
    public async Task A_chunked_file_over_the_limit_is_refused_too()
    {
        var (account, client) = await MemberAsync();
        files.Serve("/chunked.pdf", new LoopbackResponse { Content = AttachmentFiles.Pdf(600_000), ContentType = "application/pdf", Framing = LoopbackFraming.Chunked });

        var refused = await (await SendAsync(client, account, Attaching(files.Url("/chunked.pdf").ToString(), "application/pdf"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("too large", Error(refused, "attachments[0].mediaUrl"));
        await AssertNothingWrittenAsync(account);
    }

    [Fact]
    public async Task Bytes_that_are_not_the_declared_type_are_422()
    {
        var (account, client) = await MemberAsync();
        files.Serve("/fake.png", AttachmentFiles.Pdf(2_000), "image/png");

        var refused = await (await SendAsync(client, account, Attaching(files.Url("/fake.png").ToString(), "image/png"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("does not match the declared content type", Error(refused, "attachments[0].mediaUrl"));
        await AssertNothingWrittenAsync(account);
    }

    [Theory]
    [InlineData(null, "attachments[0].contentType", "is required")]
    [InlineData("image/webp", "attachments[0].contentType", "is not accepted")]
    [InlineData("text/html", "attachments[0].contentType", "is not accepted")]
    public async Task A_missing_or_unaccepted_content_type_is_422_and_nothing_is_fetched(string? contentType, string field, string rule)
    {
        var (account, client) = await MemberAsync();
        var before = files.Requests.Count;

        var refused = await (await SendAsync(client, account, Attaching(files.Url("/example.png").ToString(), contentType))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains(rule, Error(refused, field));
        Assert.Equal(before, files.Requests.Count);
        await AssertNothingWrittenAsync(account);
    }

    [Theory]
    [InlineData("ftp://example.com/a.png")]
    [InlineData("/relative/a.png")]
    [InlineData("")]
    public async Task A_media_url_that_is_not_an_absolute_http_url_is_422(string url)
    {
        var (account, client) = await MemberAsync();

        var refused = await (await SendAsync(client, account, Attaching(url, "image/png"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.NotEmpty(Error(refused, "attachments[0].mediaUrl"));
    }

    [Fact]
    public async Task More_than_one_attachment_is_422_naming_attachments()
    {
        var (account, client) = await MemberAsync();
        var one = new { media_url = files.Url("/example.png").ToString(), content_type = "image/png" };

        var refused = await (await SendAsync(client, account, new[] { one, one })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("at most 1", Error(refused, "attachments"));
        await AssertNothingWrittenAsync(account);
    }

    [Fact]
    public async Task A_redirect_to_a_private_address_is_refused_and_never_followed()
    {
        var (account, client) = await MemberAsync();
        files.Redirect("/to-private.png", "http://10.0.0.1/secret.png");

        var refused = await (await SendAsync(client, account, Attaching(files.Url("/to-private.png").ToString(), "image/png"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("10.0.0.1", Error(refused, "attachments[0].mediaUrl"));
        Assert.Equal(["/to-private.png"], files.Requests.Select(r => r.Path).Where(p => p == "/to-private.png"));
        await AssertNothingWrittenAsync(account);
    }

    [Fact]
    public async Task A_slow_answer_times_out_as_a_422_naming_the_url()
    {
        var (account, client) = await MemberAsync();
        files.Serve("/slow.png", new LoopbackResponse { Content = AttachmentFiles.Png, ContentType = "image/png", HeadersDelay = TimeSpan.FromSeconds(10) });

        var refused = await (await SendAsync(client, account, Attaching(files.Url("/slow.png").ToString(), "image/png"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains(files.Url("/slow.png").ToString(), Error(refused, "attachments[0].mediaUrl"));
        await AssertNothingWrittenAsync(account);
    }

    [Fact]
    public async Task A_missing_file_is_422_naming_the_url()
    {
        var (account, client) = await MemberAsync();

        var refused = await (await SendAsync(client, account, Attaching(files.Url("/missing.png").ToString(), "image/png"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("/missing.png", Error(refused, "attachments[0].mediaUrl"));
        Assert.Contains("404", Error(refused, "attachments[0].mediaUrl"));
    }

    [Fact]
    public async Task An_attachment_alone_needs_no_body()
    {
        var (account, client) = await MemberAsync();
        files.Serve("/alone.png", AttachmentFiles.Png, "image/png");

        var message = await (await SendAsync(client, account, Attaching(files.Url("/alone.png").ToString(), "image/png"), body: null)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("", (string?)message["body"]);
        var refused = await (await client.PostJsonAsync($"/{account.Slug}/messages", new { to = Recipient })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("is required", Error(refused, "body"));
    }

    [Fact]
    public async Task A_send_to_several_fetches_and_stores_the_file_once_and_every_message_carries_it()
    {
        var (account, client) = await MemberAsync();
        files.Serve("/many.png", AttachmentFiles.Png, "image/png");
        string[] numbers = ["+13032261301", "+13032261302", "+13032261303"];

        var send = await (await SendAsync(client, account, Attaching(files.Url("/many.png").ToString(), "image/png"), to: numbers)).ExpectAsync(HttpStatusCode.Accepted);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((string?)(await (await client.GetAsync((string)send["id"]!)).ExpectAsync(HttpStatusCode.OK))["state"] != "completed")
        {
            Assert.True(DateTime.UtcNow < deadline, "the bulk send never completed");
            await Task.Delay(50);
        }

        Assert.Single(files.Requests, r => r.Path == "/many.png");
        var attachmentIds = await api.WithDbAsync(db => db.Attachments.Where(a => a.AccountId == account.Id).Select(a => a.Id).ToListAsync());
        var linked = await api.WithDbAsync(db =>
        {
            var messages = db.Messages;
            return db.MessageAttachments.Where(ma => messages.Any(m => m.Id == ma.MessageId && m.AccountId == account.Id)).Select(ma => ma.AttachmentId).ToListAsync();
        });
        Assert.Single(attachmentIds);
        Assert.Equal([attachmentIds[0], attachmentIds[0], attachmentIds[0]], linked);
    }

    [Fact]
    public async Task An_uploaded_file_is_201_and_a_send_names_it_by_iri()
    {
        var (account, client) = await MemberAsync();

        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(AttachmentFiles.Png);
        part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(part, "file", "logo.png");
        var upload = await client.PostAsync($"/{account.Slug}/attachments", form);
        var attachment = await upload.ExpectAsync(HttpStatusCode.Created);
        var message = await (await SendAsync(client, account, new[] { (string)attachment["id"]! })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal((string?)attachment["id"], upload.Headers.Location?.OriginalString);
        Assert.Equal("logo.png", (string?)attachment["originalFilename"]);
        Assert.Equal(1, (int?)attachment["width"]);
        var listed = await (await client.GetAsync((string)message["attachments"]!)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((string?)attachment["id"], (string?)listed["members"]![0]!["id"]);
        var accountList = await (await client.GetAsync($"/{account.Slug}/attachments")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, (int?)accountList["totalItems"]);
    }

    [Fact]
    public async Task Another_accounts_attachment_is_404_and_cannot_be_sent()
    {
        var (account, client) = await MemberAsync();
        var (other, otherClient) = await MemberAsync();
        files.Serve("/theirs.png", AttachmentFiles.Png, "image/png");
        var theirs = await (await SendAsync(otherClient, other, Attaching(files.Url("/theirs.png").ToString(), "image/png"))).ExpectAsync(HttpStatusCode.Created);
        var attachment = (await (await otherClient.GetAsync((string)theirs["attachments"]!)).ExpectAsync(HttpStatusCode.OK))["members"]![0]!;

        await (await client.GetAsync((string)attachment["id"]!)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync((string)attachment["downloadUrl"]!)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync((string)theirs["attachments"]!)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var refused = await (await SendAsync(client, account, new[] { (string)attachment["id"]! })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("is not an attachment of this account", Error(refused, "attachments[0]"));
        var unknown = await (await SendAsync(client, account, new[] { new { id = "/attachments/NoSuch1" } })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("is not an attachment of this account", Error(unknown, "attachments[0]"));
        await AssertNothingWrittenAsync(account);
    }

    [Fact]
    public async Task Uploads_follow_the_same_rules()
    {
        var (account, client) = await MemberAsync();

        async Task<JsonNode> UploadAsync(byte[] content, string? contentType, string name = "file")
        {
            using var form = new MultipartFormDataContent();
            var part = new ByteArrayContent(content);
            if (contentType is not null)
            {
                part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            }

            form.Add(part, name, "upload.bin");
            return await (await client.PostAsync($"/{account.Slug}/attachments", form)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        }

        Assert.Contains("537,600", Error(await UploadAsync(AttachmentFiles.Pdf(537_600), "application/pdf"), "file"));
        Assert.Contains("does not match", Error(await UploadAsync(AttachmentFiles.Pdf(100), "image/gif"), "file"));
        Assert.Contains("is not accepted", Error(await UploadAsync(AttachmentFiles.Png, "image/svg+xml"), "contentType"));
        Assert.Contains("is required", Error(await UploadAsync(AttachmentFiles.Png, "image/png", name: "document"), "file"));
        var json = await client.PostJsonAsync($"/{account.Slug}/attachments", new { file = "x" });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(0, await api.WithDbAsync(db => db.Attachments.CountAsync(a => a.AccountId == account.Id)));
    }
}
