using System.Text;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>Small valid SIP messages for transport tests.</summary>
internal static class SipSamples
{
    public static byte[] Options(string callId = "call-1", string transport = "TCP", string body = "")
    {
        var text =
            $"OPTIONS sip:trunk@127.0.0.1 SIP/2.0\r\n" +
            $"Via: SIP/2.0/{transport} 127.0.0.1:5060;branch=z9hG4bK-{callId}\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:pbx@127.0.0.1>;tag=f1\r\n" +
            "To: <sip:trunk@127.0.0.1>\r\n" +
            $"Call-ID: {callId}\r\n" +
            "CSeq: 1 OPTIONS\r\n" +
            $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n" +
            "\r\n" +
            body;
        return Encoding.UTF8.GetBytes(text);
    }
}
