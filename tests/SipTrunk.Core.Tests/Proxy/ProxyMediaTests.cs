using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Media;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Tests.Transactions;
using SipTrunk.Sip.Messages;
using SipTrunk.Sip.Sdp;

namespace SipTrunk.Core.Tests.Proxy;

public sealed class ProxyMediaTests : IAsyncDisposable
{
    private static readonly string CallerKey = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80").ToWireString();
    private static readonly string CalleeKey = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80").ToWireString();
    private readonly List<IAsyncDisposable> _owned = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public void Invite_SrtpOffer_IsAnchoredTowardCarrierAndBack()
    {
        using var harness = Harness([ProxyTestData.Carrier("carrier-a", 5081) with { Srtp = LegSrtpPolicy.Require }]);

        harness.FromPeer(ProxyTestData.Invite(body: Sdp("10.0.0.5", 4000, "RTP/SAVP", CallerKey)));
        var offer = Body(Assert.Single(harness.ReceivedBy("carrier-a")));
        harness.CarrierResponds("carrier-a", 200, sdp: Sdp("192.0.2.10", 6000, "RTP/SAVP", CalleeKey));
        var answer = Body(harness.PeerResponses()[^1]);

        Assert.Equal("127.0.0.1", offer.Connection!.Address);
        Assert.NotEqual(CallerKey, offer.Media[0].Crypto[0].ToWireString());
        Assert.Equal("127.0.0.1", answer.Connection!.Address);
        Assert.NotEqual(CalleeKey, answer.Media[0].Crypto[0].ToWireString());
        Assert.NotEqual(offer.Media[0].Port, answer.Media[0].Port);
        Assert.Equal(1, harness.Media!.SessionCount);
    }

    [Fact]
    public void Invite_PlainOffer_SkipsCarrierThatRequiresSrtp()
    {
        var plainPeer = ProxyTestData.Peer with { Srtp = LegSrtpPolicy.Optional };
        using var harness = Harness(
            [ProxyTestData.Carrier("carrier-a", 5081, priority: 1) with { Srtp = LegSrtpPolicy.Require }, ProxyTestData.Carrier("carrier-b", 5082, priority: 2) with { Srtp = LegSrtpPolicy.None }],
            plainPeer);

        harness.FromPeer(ProxyTestData.Invite());

        Assert.Empty(harness.ReceivedBy("carrier-a"));
        var offer = Body(Assert.Single(harness.ReceivedBy("carrier-b")));
        Assert.Equal("RTP/AVP", offer.Media[0].Protocol);
    }

    [Fact]
    public void Invite_PlainOfferOnlyRequireCarriers_Is488WithWarning()
    {
        var plainPeer = ProxyTestData.Peer with { Srtp = LegSrtpPolicy.Optional };
        using var harness = Harness([ProxyTestData.Carrier("carrier-a", 5081) with { Srtp = LegSrtpPolicy.Require }], plainPeer);

        harness.FromPeer(ProxyTestData.Invite());

        var final = harness.PeerResponses()[^1];
        Assert.Equal(488, final.StatusCode);
        Assert.Contains("SRTP required", Assert.Single(SipText.Headers(final, HeaderId.Warning)), StringComparison.Ordinal);
        var summary = Assert.Single(harness.Summaries);
        Assert.Equal(488, Assert.Single(summary.Attempts).SipCode);
        Assert.Equal(0, harness.Media!.SessionCount);
    }

    [Fact]
    public void AnsweredCall_WithoutMedia_IsHungUpBothWaysWithMediaTimeout()
    {
        using var harness = Harness([ProxyTestData.Carrier("carrier-a", 5081) with { Srtp = LegSrtpPolicy.Require }]);
        harness.FromPeer(ProxyTestData.Invite(body: Sdp("10.0.0.5", 4000, "RTP/SAVP", CallerKey)));
        harness.CarrierResponds("carrier-a", 200, sdp: Sdp("192.0.2.10", 6000, "RTP/SAVP", CalleeKey));

        harness.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Empty(harness.ReceivedBy("carrier-a", SipMethod.Bye));
        harness.Time.Advance(TimeSpan.FromSeconds(2));

        var toCarrier = Assert.Single(harness.ReceivedBy("carrier-a", SipMethod.Bye));
        var toPeer = Assert.Single(harness.PeerFlow.SentMessages().OfType<SipRequest>(), r => r.Method == SipMethod.Bye);
        Assert.Equal("sip:callee@192.0.2.10:5060;transport=tcp", toCarrier.RequestUriText);
        Assert.Equal("caller-tag", toCarrier.From!.Tag);
        Assert.Equal("callee-tag", toCarrier.To!.Tag);
        Assert.Equal("sip:pbx-a@10.0.0.5:5060;transport=tcp", toPeer.RequestUriText);
        Assert.Equal("callee-tag", toPeer.From!.Tag);
        Assert.Equal("caller-tag", toPeer.To!.Tag);
        var summary = Assert.Single(harness.Summaries);
        Assert.Equal(("proxy", "media-timeout"), (summary.EndedBy, summary.EndReason));
        Assert.Equal(CallStatus.Answered, summary.Status);
        Assert.Equal("rekey", summary.Media!.Mode);
        Assert.Equal(["in", "out"], harness.Metrics.MediaCallBytes.Snapshot().Select(p => p.Key));
        Assert.Equal(0, harness.Media!.SessionCount);
        Assert.Equal(0, harness.Media.Relay.PortsInUse);
        Assert.Equal(0, harness.Proxy.AnsweredCallCount);
    }

    [Fact]
    public void CarrierReInvite_WithSdp_IsAnchoredTowardPeerOnTheSamePorts()
    {
        using var harness = Harness([ProxyTestData.Carrier("carrier-a", 5081) with { Srtp = LegSrtpPolicy.Require }]);
        harness.FromPeer(ProxyTestData.Invite(body: Sdp("10.0.0.5", 4000, "RTP/SAVP", CallerKey)));
        var ok = harness.CarrierResponds("carrier-a", 200, sdp: Sdp("192.0.2.10", 6000, "RTP/SAVP", CalleeKey));
        var firstAnswer = Body(harness.PeerResponses()[^1]);
        var recordRoute = Assert.Single(SipText.Headers(ok, HeaderId.RecordRoute));
        var reinvite = "INVITE sip:pbx-a@10.0.0.5:5060;transport=tcp SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bK-reinvite-1\r\n"
            + "Max-Forwards: 70\r\n"
            + "Route: " + recordRoute + "\r\n"
            + "From: <sip:+441632960123@trunk.example.net>;tag=callee-tag\r\n"
            + "To: <sip:pbx-a@10.0.0.5>;tag=caller-tag\r\n"
            + "Call-ID: call-1@10.0.0.5\r\n"
            + "CSeq: 7 INVITE\r\n"
            + "Contact: <sip:callee@192.0.2.10:5060;transport=tcp>\r\n"
            + "Content-Type: application/sdp\r\n\r\n";
        var body = Sdp("192.0.2.10", 6000, "RTP/SAVP", CalleeKey, "sendonly");
        var bytes = Encoding.ASCII.GetBytes(reinvite.Replace("\r\n\r\n", $"\r\nContent-Length: {body.Length}\r\n\r\n", StringComparison.Ordinal) + body);

        harness.Layer.OnMessage(SipParser.Parse(bytes).Message!, harness.CarrierFlow("carrier-a"));

        var forwarded = harness.PeerFlow.SentMessages().OfType<SipRequest>().Single(r => r.Method == SipMethod.Invite);
        var offer = Body(forwarded);
        Assert.Equal(firstAnswer.Media[0].Port, offer.Media[0].Port);
        Assert.Equal(SdpDirection.SendOnly, offer.Media[0].Direction);
        Assert.Equal(firstAnswer.Media[0].Crypto[0].Keys[0].ToWireString(), offer.Media[0].Crypto[0].Keys[0].ToWireString());
        Assert.DoesNotContain("192.0.2.10", Encoding.ASCII.GetString(forwarded.Body.Span), StringComparison.Ordinal);
    }

    private static SessionDescription Body(SipMessage message)
    {
        Assert.True(SessionDescription.TryParse(message.Body.Span, out var sdp, out var error), error);
        return sdp;
    }

    private static string Sdp(string address, int port, string protocol, string? crypto = null, string direction = "sendrecv") =>
        $"v=0\r\no=- 1 1 IN IP4 {address}\r\ns=-\r\nc=IN IP4 {address}\r\nt=0 0\r\nm=audio {port} {protocol} 0\r\na=rtpmap:0 PCMU/8000\r\na={direction}\r\n"
        + (crypto is null ? "" : $"a=crypto:{crypto}\r\n");

    private ProxyHarness Harness(IReadOnlyList<SipTrunk.Core.Routing.CarrierDefinition> carriers, PeerDefinition? peer = null) => new(carriers, peer: peer, media: time =>
    {
        var min = 40000 + (Random.Shared.Next(0, 100) * 100);
        var relay = new MediaRelay(new MediaRelaySettings { BindAddress = IPAddress.Loopback, PortMin = min, PortMax = min + 99 }, new SipTrunkMetrics(), time, NullLogger<MediaRelay>.Instance);
        var service = new MediaService(new MediaSettings { AdvertisedAddress = IPAddress.Loopback, InactivityTimeout = TimeSpan.FromSeconds(5) }, relay, NullLogger<MediaService>.Instance);
        _owned.Add(service);
        _owned.Add(relay);
        return service;
    });
}
