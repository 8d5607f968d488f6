using System.Text;

namespace Hypermedia.Server.Tests.Features.Attachments;

/// <summary>Files the attachment tests serve and upload.</summary>
public static class AttachmentFiles
{
    /// <summary>A real 1×1 PNG (signature, IHDR, IDAT, IEND).</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>A PDF of exactly <paramref name="size"/> bytes: its header, then padding.</summary>
    public static byte[] Pdf(int size)
    {
        var content = new byte[size];
        Array.Fill(content, (byte)' ');
        Encoding.ASCII.GetBytes("%PDF-1.4\n").CopyTo(content, 0);
        return content;
    }

    public static readonly byte[] VCard = Encoding.UTF8.GetBytes("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n");

    public static string Sha256Key(byte[] content, string extension) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)) + "." + extension;
}
