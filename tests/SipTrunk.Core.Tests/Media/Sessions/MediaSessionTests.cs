using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Media;
using SipTrunk.Core.Media.Srtp;
using SipTrunk.Sip.Sdp;

namespace SipTrunk.Core.Tests.Media.Sessions;

public sealed class MediaSessionTests : IAsyncDisposable
{
    private static readonly MediaLegPolicy Peer = new(LegSrtpPolicy.Require, IsPeer: true);
    private static readonly MediaLegPolicy PlainPeer = new(LegSrtpPolicy.Optional, IsPeer: true);
    private static readonly MediaLegPolicy RequireCarrier = new(LegSrtpPolicy.Require, IsPeer: false);
    private static readonly MediaLegPolicy OptionalCarrier = new(LegSrtpPolicy.Optional, IsPeer: false);
    private static readonly MediaLegPolicy PlainCarrier = new(LegSrtpPolicy.None, IsPeer: false);

    private readonly MediaRelay _relay;
    private readonly FakeTimeProvider _time = new();
    private readonly SipTrunkMetrics _metrics = new();
    private MediaService _service;

    public MediaSessionTests()
    {
        var min = 40000 + (Random.Shared.Next(0, 100) * 100);
        _relay = new MediaRelay(new MediaRelaySettings { BindAddress = IPAddress.Loopback, PortMin = min, PortMax = min + 99 }, _metrics, _time, NullLogger<MediaRelay>.Instance);
        _service = CreateService(SrtpRelayMode.Rekey);
    }

    public async ValueTask DisposeAsync()
    {
        await _service.DisposeAsync();
        await _relay.DisposeAsync();
    }

    [Fact]
    public void Offer_SrtpTowardRequireCarrier_AnchorsAddressesAndRekeys()
    {
        var caller = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80");
        using var session = _service.Create("call-1", Peer, RequireCarrier);

        var outcome = session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, caller));

        var sdp = Parse(outcome);
        var media = sdp.Media[0];
        Assert.Equal("127.0.0.1", sdp.Connection!.Address);
        Assert.Equal("127.0.0.1", sdp.Origin.Address);
        Assert.NotEqual(40000, media.Port);
        Assert.Equal("RTP/SAVP", media.Protocol);
        Assert.Equal(["0", "8", "101"], media.Formats);
        Assert.Equal("0-15", media.GetFmtp(101));
        Assert.False(media.HasAttribute("candidate"));
        Assert.False(media.HasAttribute("ice-ufrag"));
        Assert.Equal(media.Port + 1, media.Rtcp!.Port);
        var offered = Assert.Single(media.Crypto);
        Assert.Equal(1, offered.Tag);
        Assert.Equal(caller.Suite, offered.Suite);
        Assert.False(offered.Keys[0].KeyAndSalt.Span.SequenceEqual(caller.Keys[0].KeyAndSalt.Span));
        Assert.DoesNotContain("192.0.2.10", Encoding.ASCII.GetString(outcome.Body!), StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_Rekey_GivesTheCallerItsOwnFreshKeyOnTheOtherPort()
    {
        var caller = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80");
        var callee = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80");
        using var session = _service.Create("call-2", Peer, RequireCarrier);
        var offer = Parse(session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, caller)));

        var answer = Parse(session.Answer(MediaSide.Callee, Offer("RTP/SAVP", 50000, callee)));

        var media = answer.Media[0];
        Assert.NotEqual(offer.Media[0].Port, media.Port);
        Assert.Equal("RTP/SAVP", media.Protocol);
        var key = Assert.Single(media.Crypto);
        Assert.Equal(1, key.Tag);
        Assert.False(key.Keys[0].KeyAndSalt.Span.SequenceEqual(caller.Keys[0].KeyAndSalt.Span));
        Assert.False(key.Keys[0].KeyAndSalt.Span.SequenceEqual(callee.Keys[0].KeyAndSalt.Span));
        Assert.False(key.Keys[0].KeyAndSalt.Span.SequenceEqual(offer.Media[0].Crypto[0].Keys[0].KeyAndSalt.Span));
        Assert.Equal("rekey", session.GetStats()!.Mode);
    }

    [Fact]
    public async Task Passthrough_ForwardsKeysVerbatim()
    {
        await _service.DisposeAsync();
        _service = CreateService(SrtpRelayMode.Passthrough);
        var caller = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80");
        var callee = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80");
        using var session = _service.Create("call-3", Peer, RequireCarrier);

        var offer = Parse(session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, caller)));
        var answer = Parse(session.Answer(MediaSide.Callee, Offer("RTP/SAVP", 50000, callee)));

        Assert.Equal(caller.ToWireString(), offer.Media[0].Crypto[0].ToWireString());
        Assert.Equal(callee.ToWireString(), answer.Media[0].Crypto[0].ToWireString());
        Assert.NotEqual(40000, offer.Media[0].Port);
        Assert.Equal("passthrough", session.GetStats()!.Mode);
    }

    [Fact]
    public void Offer_TowardPlainCarrier_BridgesSrtpToRtp()
    {
        var caller = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80");
        using var session = _service.Create("call-4", Peer, PlainCarrier);

        var offer = Parse(session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, caller)));
        var answer = Parse(session.Answer(MediaSide.Callee, Offer("RTP/AVP", 50000)));

        Assert.Equal("RTP/AVP", offer.Media[0].Protocol);
        Assert.Empty(offer.Media[0].Crypto);
        Assert.Equal("RTP/SAVP", answer.Media[0].Protocol);
        Assert.Single(answer.Media[0].Crypto);
        var stats = session.GetStats()!;
        Assert.Equal("bridge", stats.Mode);
        Assert.Equal("AES_CM_128_HMAC_SHA1_80", stats.PeerSrtpSuite);
        Assert.Null(stats.CarrierSrtpSuite);
    }

    [Fact]
    public void Offer_PlainFromPeerTowardRequireCarrier_Is488()
    {
        using var session = _service.Create("call-5", PlainPeer, RequireCarrier);

        var outcome = session.Offer(MediaSide.Caller, Offer("RTP/AVP", 40000));

        Assert.True(outcome.IsRefused);
        Assert.Equal(488, outcome.StatusCode);
        Assert.Equal(0, _relay.PortsInUse);
    }

    [Fact]
    public void Offer_PlainFromPeerTowardOptionalCarrier_OffersBestEffortSrtp()
    {
        using var session = _service.Create("call-6", PlainPeer, OptionalCarrier);

        var offer = Parse(session.Offer(MediaSide.Caller, Offer("RTP/AVP", 40000)));
        var answer = Parse(session.Answer(MediaSide.Callee, Offer("RTP/AVP", 50000)));

        Assert.Equal("RTP/AVP", offer.Media[0].Protocol);
        Assert.Equal(["AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM", "AEAD_AES_256_GCM", "AES_CM_128_HMAC_SHA1_32"], offer.Media[0].Crypto.Select(c => c.Suite));
        Assert.Empty(answer.Media[0].Crypto);
        Assert.Equal("rtp", session.GetStats()!.Mode);
    }

    [Fact]
    public void Offer_PlainFromRequireCarrierToPeer_Is488_ButFromPlainCarrierIsBridged()
    {
        using var strict = _service.Create("call-7", RequireCarrier, Peer);
        using var plain = _service.Create("call-8", PlainCarrier, Peer);

        var refused = strict.Offer(MediaSide.Caller, Offer("RTP/AVP", 40000));
        var bridged = Parse(plain.Offer(MediaSide.Caller, Offer("RTP/AVP", 40000)));

        Assert.Equal(488, refused.StatusCode);
        Assert.Equal("RTP/SAVP", bridged.Media[0].Protocol);
        Assert.NotEmpty(bridged.Media[0].Crypto);
    }

    [Fact]
    public void Offer_SavpWithOnlyUnsupportedSuites_Is488()
    {
        using var session = _service.Create("call-9", Peer, RequireCarrier);
        var f8 = SdpCrypto.Generate(1, "F8_128_HMAC_SHA1_80");

        var outcome = session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, f8));

        Assert.Equal(488, outcome.StatusCode);
    }

    [Fact]
    public void Offer_MalformedSdp_Is488()
    {
        using var session = _service.Create("call-10", Peer, RequireCarrier);

        var outcome = session.Offer(MediaSide.Caller, "v=0\r\nthis is not sdp\r\n"u8);

        Assert.Equal(488, outcome.StatusCode);
    }

    [Fact]
    public void DeclinedStream_StaysDeclinedBothWays()
    {
        var caller = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80");
        using var session = _service.Create("call-11", Peer, RequireCarrier);
        var video = "m=video 0 RTP/SAVP 96\r\n";

        var offer = Parse(session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, caller, extra: video)));
        var answer = Parse(session.Answer(MediaSide.Callee, Offer("RTP/SAVP", 50000, SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80"), extra: video)));

        Assert.Equal(0, offer.Media[1].Port);
        Assert.Equal(0, answer.Media[1].Port);
        Assert.NotEqual(0, answer.Media[0].Port);
        Assert.Equal(4, _relay.PortsInUse);
    }

    [Fact]
    public void ReOffer_Hold_KeepsPortsKeysAndDirection()
    {
        var caller = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80");
        using var session = _service.Create("call-12", Peer, RequireCarrier);
        var first = Parse(session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, caller)));
        var firstAnswer = Parse(session.Answer(MediaSide.Callee, Offer("RTP/SAVP", 50000, SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80"))));

        var hold = Parse(session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, caller, direction: "sendonly")));
        var holdAnswer = Parse(session.Answer(MediaSide.Callee, Offer("RTP/SAVP", 50000, SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80"), direction: "recvonly")));

        Assert.Equal(first.Media[0].Port, hold.Media[0].Port);
        Assert.Equal(firstAnswer.Media[0].Port, holdAnswer.Media[0].Port);
        Assert.Equal(SdpDirection.SendOnly, hold.Media[0].Direction);
        Assert.Equal(SdpDirection.RecvOnly, holdAnswer.Media[0].Direction);
        Assert.Equal(first.Media[0].Crypto[0].ToWireString(), hold.Media[0].Crypto[0].ToWireString());
        Assert.Equal(firstAnswer.Media[0].Crypto[0].ToWireString(), holdAnswer.Media[0].Crypto[0].ToWireString());
        Assert.Equal(4, _relay.PortsInUse);
    }

    [Fact]
    public void ManySessions_ReleaseEveryPort()
    {
        for (var i = 0; i < 200; i++)
        {
            using var session = _service.Create("loop-" + i, Peer, RequireCarrier);
            session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80")));
            session.Answer(MediaSide.Callee, Offer("RTP/SAVP", 50000, SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80")));
        }

        Assert.Equal(0, _relay.PortsInUse);
        Assert.Equal(0, _service.SessionCount);
    }

    [Fact]
    public void RtcpMux_IsKeptTowardTheOffererWhateverTheAnswererSaid()
    {
        using var session = _service.Create("call-13", Peer, RequireCarrier);
        var offer = Parse(session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80"), mux: true)));
        var answer = Parse(session.Answer(MediaSide.Callee, Offer("RTP/SAVP", 50000, SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80"))));

        Assert.True(offer.Media[0].RtcpMux);
        Assert.True(answer.Media[0].RtcpMux);
    }

    [Fact]
    public async Task Packets_FlowThroughTheAnchoredPortsWithPerLegKeys()
    {
        using var callerSocket = Bind();
        using var calleeSocket = Bind();
        var callerKey = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80");
        var calleeKey = SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80");
        using var session = _service.Create("call-14", Peer, RequireCarrier);
        var offer = Parse(session.Offer(MediaSide.Caller, Offer("RTP/SAVP", Port(callerSocket), callerKey, address: "127.0.0.1")));
        var answer = Parse(session.Answer(MediaSide.Callee, Offer("RTP/SAVP", Port(calleeSocket), calleeKey, address: "127.0.0.1")));

        // The caller encrypts with its own key and sends to the port in the answer; the callee decrypts with the key
        // SipTrunk offered it, which neither party's key equals.
        using var callerSends = Context(callerKey);
        using var calleeReceives = Context(offer.Media[0].Crypto[0]);
        var rtp = RtpPacket(sequence: 1, payload: 160);
        var packet = new byte[rtp.Length + 16];
        Assert.Equal(SrtpResult.Ok, callerSends.ProtectRtp(rtp, packet, out var length));
        await callerSocket.SendToAsync(packet.AsMemory(0, length), new IPEndPoint(IPAddress.Loopback, answer.Media[0].Port));

        var received = new byte[2048];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var result = await calleeSocket.ReceiveFromAsync(received, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        var plain = new byte[2048];
        Assert.Equal(SrtpResult.Ok, calleeReceives.UnprotectRtp(received.AsSpan(0, result.ReceivedBytes), plain, out var plainLength));
        Assert.Equal(rtp, plain.AsSpan(0, plainLength).ToArray());
        var stats = session.GetStats()!;
        // The caller is the peer here: what it sent counts as "out", as received (SRTP, tag included).
        Assert.Equal((1, length, 0), (stats.PacketsOut, stats.BytesOut, stats.PacketsIn));
    }

    [Fact]
    public async Task Packets_BeforeTheFirstAnswer_AreNotRelayed()
    {
        using var callerSocket = Bind();
        using var calleeSocket = Bind();
        using var session = _service.Create("call-17", Peer, PlainCarrier);
        var offer = Parse(session.Offer(MediaSide.Caller, Offer("RTP/SAVP", Port(callerSocket), SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80"), address: "127.0.0.1")));

        // The callee (bridged, plain RTP) sends early: its packet must not reach the SRTP caller unprotected.
        await calleeSocket.SendToAsync(RtpPacket(sequence: 1, payload: 160), new IPEndPoint(IPAddress.Loopback, offer.Media[0].Port));

        for (var i = 0; i < 500 && _metrics.MediaPacketsDropped.Get("inactive") == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, _metrics.MediaPacketsDropped.Get("inactive"));
        Assert.Equal(0, callerSocket.Available);
    }

    [Fact]
    public void Inactivity_AnsweredCallWithoutMedia_CallsBackOnce()
    {
        using var session = _service.Create("call-15", Peer, RequireCarrier);
        session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80")));
        session.Answer(MediaSide.Callee, Offer("RTP/SAVP", 50000, SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80")));
        var calls = 0;
        session.MarkAnswered(_ => calls++);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, calls);
        _time.Advance(TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(1, calls);
    }

    [Fact]
    public void Inactivity_CallBothSidesInactive_IsNotTimedOut()
    {
        using var session = _service.Create("call-16", Peer, RequireCarrier);
        session.Offer(MediaSide.Caller, Offer("RTP/SAVP", 40000, SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80"), direction: "inactive"));
        session.Answer(MediaSide.Callee, Offer("RTP/SAVP", 50000, SdpCrypto.Generate(1, "AES_CM_128_HMAC_SHA1_80"), direction: "inactive"));
        var calls = 0;
        session.MarkAnswered(_ => calls++);

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(0, calls);
    }

    private static SessionDescription Parse(SdpOutcome outcome)
    {
        Assert.False(outcome.IsRefused, outcome.Reason);
        Assert.True(SessionDescription.TryParse(outcome.Body, out var sdp, out var error), error);
        return sdp;
    }

    private static byte[] Offer(string protocol, int port, SdpCrypto? crypto = null, string direction = "sendrecv", bool mux = false, string address = "192.0.2.10", string extra = "")
    {
        var builder = new StringBuilder()
            .Append("v=0\r\no=- 123 456 IN IP4 ").Append(address).Append("\r\ns=-\r\nc=IN IP4 ").Append(address).Append("\r\nt=0 0\r\n")
            .Append("m=audio ").Append(port).Append(' ').Append(protocol).Append(" 0 8 101\r\n")
            .Append("a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n")
            .Append("a=ptime:20\r\n")
            .Append("a=candidate:1 1 UDP 2130706431 ").Append(address).Append(' ').Append(port).Append(" typ host\r\n")
            .Append("a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n")
            .Append("a=rtcp:").Append(port + 1).Append("\r\n")
            .Append("a=").Append(direction).Append("\r\n");
        if (mux)
        {
            builder.Append("a=rtcp-mux\r\n");
        }

        if (crypto is not null)
        {
            builder.Append("a=crypto:").Append(crypto.ToWireString()).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(builder.Append(extra).ToString());
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static int Port(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    private static SrtpContext Context(SdpCrypto crypto)
    {
        Assert.True(SrtpSuite.TryGet(crypto.Suite, out var suite));
        var material = crypto.Keys[0].KeyAndSalt.Span;
        return SrtpContext.Create(suite, material[..suite.KeyLength], material[suite.KeyLength..]);
    }

    private static byte[] RtpPacket(ushort sequence, int payload)
    {
        var packet = new byte[12 + payload];
        packet[0] = 0x80;
        packet[2] = (byte)(sequence >> 8);
        packet[3] = (byte)sequence;
        packet[8] = 0x12;
        packet[11] = 0x34;
        for (var i = 12; i < packet.Length; i++)
        {
            packet[i] = 0xFF;
        }

        return packet;
    }

    private MediaService CreateService(SrtpRelayMode mode) => new(
        new MediaSettings { AdvertisedAddress = IPAddress.Loopback, Mode = mode, InactivityTimeout = TimeSpan.FromSeconds(10) },
        _relay,
        NullLogger<MediaService>.Instance);
}
