using System.Text;

namespace SipTrunk.Sip.Tests;

/// <summary>Test messages: the shared benchmark INVITE/200 OK and small builders.</summary>
internal static class TestMessages
{
    public static byte[] Invite { get; } = Load("Bench", "invite.sip");

    public static byte[] Ok200 { get; } = Load("Bench", "ok200.sip");

    public static byte[] Load(params string[] parts) => File.ReadAllBytes(Path.Combine([AppContext.BaseDirectory, "Data", .. parts]));

    /// <summary>Builds a message from lines joined with CRLF, with a blank line and the body after the headers.</summary>
    public static byte[] Crlf(string headers, string body = "") => Encoding.Latin1.GetBytes(headers.ReplaceLineEndings("\r\n") + "\r\n\r\n" + body);
}
