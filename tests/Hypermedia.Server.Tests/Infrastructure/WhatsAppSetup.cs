using Hypermedia.Server.Features.Accounts;
using Hypermedia.Server.Features.Carriers;
using Hypermedia.Server.Features.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>WhatsApp arranged for tests the way an admin's PATCH leaves it, and WhatsApp messages received through the carrier events.</summary>
public static class WhatsAppSetup
{
    /// <summary>A number no SMS number of a test account can be (those are +1303…): +1720 and seven random digits.</summary>
    public static string NewNumber() => "+1720" + Random.Shared.Next(2_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Enables WhatsApp on the account with <paramref name="number"/> (a new one if null); returns the number.</summary>
    public static async Task<string> EnableWhatsAppAsync(this ApiFactory api, Account account, string? number = null)
    {
        number ??= NewNumber();
        await api.WithDbAsync(db => db.Accounts.Where(a => a.Id == account.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.WhatsAppEnabled, true).SetProperty(a => a.WhatsAppPhoneNumber, number)));
        return number;
    }

    /// <summary>A WhatsApp message from <paramref name="from"/> to the WhatsApp number <paramref name="to"/>, as a carrier reports it.</summary>
    public static async Task<Message> WhatsAppInboundAsync(this ApiFactory api, string from, string to, string body = "Hola")
    {
        Message? message = null;
        await api.WithServicesAsync(async services => message = await services.GetRequiredService<CarrierEvents>()
            .ReceiveAsync(new InboundText("simulator", null, from, to, body, MessageChannels.WhatsApp), default));
        return message!;
    }
}
