using System.Security.Cryptography;
using System.Text;
using Hypermedia.Server.Features.Messages;
using Hypermedia.Server.Persistence;
using Hypermedia.Server.Platform.Areas;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hypermedia.Server.Features.Carriers.Simulator;

/// <summary>
/// A text a person or test sends "from a phone" to one of the accounts' numbers; <see cref="Channel"/> whatsapp
/// sends it to an account's WhatsApp number instead. Without a channel, a <c>whatsapp:</c> address in from or to means whatsapp.
/// </summary>
public sealed record SimulatedInbound(string? From, string? To, string? Body, string? Channel);

/// <summary>
/// The simulator carrier and its inbound endpoint: <c>POST /carriers/simulator/inbound</c> with
/// <c>{from, to, body, channel}</c> and the configured secret in <c>X-Simulator-Secret</c> plays the contact.
/// </summary>
public sealed class SimulatorArea : IApiArea
{
    public const string SecretHeader = "X-Simulator-Secret";

    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.Section)
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                // The run command (Development) plays contacts out of the box with a secret made now and printed at start.
                if (string.IsNullOrEmpty(options.Secret) && environment.IsDevelopment())
                {
                    options.Secret = "sim_" + Platform.Slugs.New(24);
                    options.SecretGenerated = true;
                }
            });
        services.AddSingleton<ICarrier, SimulatorCarrier>();
        services.AddHostedService<SimulatorSecretAnnouncement>();
    }

    public void MapRoutes(AreaRoutes routes) =>
        routes.Anonymous.MapPost("/carriers/simulator/inbound", ReceiveAsync).OutsideTheApi("people and tests playing a contact");

    private static async Task<IResult> ReceiveAsync(HttpRequest request, IOptions<SimulatorOptions> options, CarrierEvents events, HypermediaDbContext db, Iris iris)
    {
        RequireSecret(request, options.Value.Secret);
        var text = await RequestBody.ReadAsync<SimulatedInbound>(request);
        var validator = new Validator();
        validator.Text("from", text.From, 64);
        validator.Text("to", text.To, 64);
        if (text.Body is null)
        {
            validator.Add("body", "is required");
        }

        var channel = Channel(validator, text);
        validator.ThrowIfInvalid();
        var cancellationToken = request.HttpContext.RequestAborted;
        var message = await events.ReceiveAsync(new InboundText(SimulatorCarrier.CarrierName, null, text.From!, text.To!, text.Body!, channel!), cancellationToken);
        var view = await db.Messages.Where(m => m.Id == message.Id).Select(MessageView.Projection).SingleAsync(cancellationToken);
        return ApiResults.Created(MessageResource.Of(view, iris));
    }

    /// <summary>The channel asked for, or the one its addresses say (a <c>whatsapp:</c> address is WhatsApp); a contradiction is a 422.</summary>
    private static string? Channel(Validator validator, SimulatedInbound text)
    {
        var whatsAppAddress = new[] { text.From, text.To }.Any(a => a?.TrimStart().StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase) == true);
        switch (text.Channel)
        {
            case null:
                return whatsAppAddress ? MessageChannels.WhatsApp : MessageChannels.Sms;
            case MessageChannels.Sms when whatsAppAddress:
                validator.Add("channel", "is sms, but from or to is a whatsapp: address");
                return null;
            case MessageChannels.Sms or MessageChannels.WhatsApp:
                return text.Channel;
            default:
                validator.Add("channel", $"must be one of {string.Join(", ", MessageChannels.All)}");
                return null;
        }
    }

    private static void RequireSecret(HttpRequest request, string? secret)
    {
        var given = request.Headers[SecretHeader].ToString();
        if (string.IsNullOrEmpty(secret)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(secret)))
        {
            throw ApiException.Forbidden($"The simulator's inbound endpoint needs the configured secret in {SecretHeader} (Carriers:Simulator:Secret).");
        }
    }
}

/// <summary>Prints a secret made at start (Development only), so the person running the server can play contacts.</summary>
public sealed class SimulatorSecretAnnouncement(IOptions<SimulatorOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.SecretGenerated)
        {
            Console.WriteLine($"Simulator inbound secret ({SimulatorArea.SecretHeader}, this run only): {options.Value.Secret}");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
