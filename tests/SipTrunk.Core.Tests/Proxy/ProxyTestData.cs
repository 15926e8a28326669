using System.Security.Cryptography;
using System.Text;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Core.Tests.Proxy;

/// <summary>Messages and configuration shared by the proxy tests.</summary>
internal static class ProxyTestData
{
    public static ProxySettings Settings { get; } = new()
    {
        Domain = "trunk.example.net",
        LocalEndpoints = [new LocalEndpoint(SipTransportKind.Tls, "127.0.0.1", 5061), new LocalEndpoint(SipTransportKind.Udp, "127.0.0.1", 5060)],
    };

    public static FlowTokenCodec Codec { get; } = new(RandomNumberGenerator.GetBytes(32));

    public static ProxyMessageFactory Factory { get; } = new(Settings, Codec);

    public static PeerDefinition Peer { get; } = new() { Name = "pbx-a", CertificateSubject = "pbx-a" };

    public static CarrierDefinition Carrier(string name, int port, SipTransportKind transport = SipTransportKind.Tls, int priority = 1) => new()
    {
        Name = name,
        Uri = SipUri.Parse(transport == SipTransportKind.Tls ? $"sips:127.0.0.1:{port}" : $"sip:127.0.0.1:{port};transport={transport.ToString().ToLowerInvariant()}"),
        Transport = transport,
        TlsServerName = name,
        CertificateSubject = name,
        Priority = priority,
        HealthCheckInterval = TimeSpan.Zero,
    };

    public static SipRequest Invite(string number = "+441632960123", string extraHeaders = "", string via = "SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-caller-1", int? maxForwards = 70, string? body = null)
    {
        body ??= "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        var text = $"INVITE sip:{number}@127.0.0.1:5061 SIP/2.0\r\n"
            + $"Via: {via}\r\n"
            + (maxForwards is { } mf ? $"Max-Forwards: {mf}\r\n" : "")
            + "From: <sip:pbx-a@10.0.0.5>;tag=caller-tag\r\n"
            + $"To: <sip:{number}@trunk.example.net>\r\n"
            + "Call-ID: call-1@10.0.0.5\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:pbx-a@10.0.0.5:5060;transport=tcp>\r\n"
            + "X-Custom: kept as is\r\n"
            + extraHeaders
            + "Content-Type: application/sdp\r\n"
            + $"Content-Length: {body.Length}\r\n\r\n" + body;
        return (SipRequest)SipParser.Parse(Encoding.ASCII.GetBytes(text)).Message!;
    }
}
