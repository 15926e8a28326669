using System.Text;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transactions;

/// <summary>Real SIP messages as text, parsed with the production parser.</summary>
internal static class SipText
{
    public const string SentBy = "192.0.2.10:5061";

    public static SipMessage Parse(string text) => Parse(Encoding.Latin1.GetBytes(text));

    public static SipMessage Parse(byte[] bytes)
    {
        var result = SipParser.Parse(bytes);
        Assert.True(result.Success, result.Error);
        return result.Message;
    }

    public static SipRequest ParseRequest(string text) => Assert.IsType<SipRequest>(Parse(text));

    public static SipResponse ParseResponse(string text) => Assert.IsType<SipResponse>(Parse(text));

    /// <summary>A request as a PBX sends it; <paramref name="extraHeaders"/> are CRLF-terminated lines.</summary>
    public static string Request(
        string method,
        string branch,
        int cseq = 1,
        string? cseqMethod = null,
        string sentBy = SentBy,
        string? toTag = null,
        string callId = "call-1@pbx.example.com",
        string extraHeaders = "")
    {
        var to = toTag is null ? "<sip:+15551234@carrier.example.com>" : $"<sip:+15551234@carrier.example.com>;tag={toTag}";
        return $"{method} sip:+15551234@carrier.example.com SIP/2.0\r\n"
            + $"Via: SIP/2.0/TLS {sentBy};branch={branch};rport\r\n"
            + "Via: SIP/2.0/TLS 198.51.100.7:5061;branch=z9hG4bKupstream\r\n"
            + "Max-Forwards: 70\r\n"
            + "Route: <sip:carrier.example.com;lr>\r\n"
            + "Route: <sip:edge.carrier.example.com;lr>\r\n"
            + "From: \"Alice\" <sip:alice@pbx.example.com>;tag=a1\r\n"
            + $"To: {to}\r\n"
            + $"Call-ID: {callId}\r\n"
            + $"CSeq: {cseq} {cseqMethod ?? method}\r\n"
            + "Contact: <sip:alice@192.0.2.10:5061;transport=tls>\r\n"
            + extraHeaders
            + "Content-Length: 0\r\n"
            + "\r\n";
    }

    /// <summary>A response to a request with <paramref name="branch"/> (one Via: ours, as a carrier returns it).</summary>
    public static string Response(int statusCode, string branch, string method, string? toTag = "c1", int cseq = 1, string sentBy = "203.0.113.1:5061")
    {
        var to = toTag is null ? "<sip:+15551234@carrier.example.com>" : $"<sip:+15551234@carrier.example.com>;tag={toTag}";
        return $"SIP/2.0 {statusCode} {SipStatus.GetReasonPhrase(statusCode)}\r\n"
            + $"Via: SIP/2.0/TLS {sentBy};branch={branch}\r\n"
            + "From: \"Alice\" <sip:alice@pbx.example.com>;tag=a1\r\n"
            + $"To: {to}\r\n"
            + "Call-ID: call-1@pbx.example.com\r\n"
            + $"CSeq: {cseq} {method}\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n";
    }

    /// <summary>The value of the first line of <paramref name="id"/>, or null.</summary>
    public static string? Header(SipMessage message, HeaderId id) => message.GetFirstValueString(id);

    /// <summary>Every value of <paramref name="id"/>.</summary>
    public static IReadOnlyList<string> Headers(SipMessage message, HeaderId id)
    {
        var values = new List<string>();
        foreach (var value in message.GetValues(id))
        {
            values.Add(value.ToString());
        }

        return values;
    }
}
