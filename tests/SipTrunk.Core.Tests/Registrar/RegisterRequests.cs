using SipTrunk.Core.Tests.Transactions;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Registrar;

/// <summary>REGISTER requests as a PBX sends them, parsed with the production parser.</summary>
internal static class RegisterRequests
{
    public const string Aor = "sip:pbx1@trunk.example.com";

    /// <summary>A REGISTER for <paramref name="user"/>; <paramref name="headers"/> are CRLF-terminated lines (Contact, Expires…).</summary>
    public static SipRequest Create(string headers, int cseq = 1, string callId = "reg-1@pbx.example.com", string to = "<sip:pbx1@trunk.example.com>") =>
        SipText.ParseRequest(
            "REGISTER sip:trunk.example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bK" + callId.GetHashCode(StringComparison.Ordinal).ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + cseq + "\r\n"
            + "Max-Forwards: 70\r\n"
            + $"From: {to};tag=r1\r\n"
            + $"To: {to}\r\n"
            + $"Call-ID: {callId}\r\n"
            + $"CSeq: {cseq} REGISTER\r\n"
            + "User-Agent: TestPBX/2.1\r\n"
            + headers
            + "Content-Length: 0\r\n"
            + "\r\n");
}
