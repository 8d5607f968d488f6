using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>The app with Twilio configured against a <see cref="FakeTwilio"/> on loopback.</summary>
public class TwilioApiFactory : ApiFactory
{
    public const string AccountSid = "AC00000000000000000000000000000001";
    public const string AuthToken = "test-auth-token-0123456789abcdef";
    public const string PublicUrl = "https://sms.example.test";

    public FakeTwilio Twilio { get; } = FakeTwilio.Start();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Carriers:Twilio:AccountSid", AccountSid);
        builder.UseSetting("Carriers:Twilio:AuthToken", AuthToken);
        builder.UseSetting("Carriers:Twilio:PublicUrl", PublicUrl);
        builder.UseSetting("Carriers:Twilio:ApiBaseUrl", Twilio.BaseUrl.ToString());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Twilio.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// A POST of <paramref name="fields"/> to <paramref name="pathAndQuery"/>, signed as Twilio signs
    /// (HMAC-SHA1 over the public URL and the fields sorted by name, name then value, base64) unless
    /// <paramref name="signature"/> says otherwise.
    /// </summary>
    public async Task<HttpResponseMessage> PostSignedAsync(string pathAndQuery, IReadOnlyDictionary<string, string> fields, string? signature = "sign")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(fields) };
        if (signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature == "sign" ? Sign(AuthToken, PublicUrl + pathAndQuery, fields) : signature);
        }

        return await CreateClient().SendAsync(request);
    }

    public static string Sign(string authToken, string url, IReadOnlyDictionary<string, string> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}
