using System.Text;
using SipTrunk.Sip.Sdp;

namespace SipTrunk.Sip.Tests.Sdp;

/// <summary>Realistic session descriptions used by the SDP tests, and small helpers.</summary>
internal static class SdpSamples
{
    /// <summary>The body of ../shared/bench/invite.sip, byte for byte (354 bytes).</summary>
    public static readonly string InviteBody = Crlf(
        "v=0",
        "o=alice 2890844526 2890844527 IN IP4 192.0.2.10",
        "s=-",
        "c=IN IP4 192.0.2.10",
        "t=0 0",
        "m=audio 49170 RTP/SAVP 0 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj",
        "a=sendrecv");

    public const string BaresipKey1 = "JTA7RlFcZ3J9iJOeqbS/ytXg6/YBDBciLThDTllk";
    public const string BaresipKey2 = "SlVga3aBjJeirbjDztnk7/oFEBsmMTxHUl1oc36J";
    public const string RelayKey = "3un0/woVICs2QUxXYm14g46ZpK+6xdDb5vH8BxId";

    /// <summary>A baresip-style SDES offer with rtcp-mux, an explicit a=rtcp and ICE.</summary>
    public static readonly string BaresipSrtpOffer = Crlf(
        "v=0",
        "o=- 3948210381 3948210382 IN IP4 192.168.1.20",
        "s=-",
        "c=IN IP4 192.168.1.20",
        "t=0 0",
        "a=tool:baresip 3.10.1",
        "a=ice-options:trickle",
        "m=audio 10224 RTP/SAVP 111 0 8 101",
        "b=AS:128",
        "a=rtpmap:111 opus/48000/2",
        "a=fmtp:111 stereo=1;sprop-stereo=1",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=rtcp:10225 IN IP4 192.168.1.20",
        "a=rtcp-mux",
        "a=sendrecv",
        "a=label:1",
        "a=ice-ufrag:Zh1q",
        "a=ice-pwd:w3Qb8zQUSJwF1lWQ9HqgMi",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + BaresipKey1 + "|2^31",
        "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + BaresipKey2,
        "a=candidate:1 1 UDP 2113937151 192.168.1.20 10224 typ host",
        "a=candidate:1 2 UDP 2113937150 192.168.1.20 10225 typ host",
        "a=candidate:2 1 UDP 1677729535 203.0.113.7 40112 typ srflx raddr 192.168.1.20 rport 10224",
        "a=end-of-candidates",
        "a=ptime:20");

    /// <summary>A browser-style BUNDLE offer with DTLS-SRTP.</summary>
    public static readonly string WebRtcOffer = Crlf(
        "v=0",
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "a=extmap-allow-mixed",
        "a=msid-semantic: WMS stream1",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
        "c=IN IP4 0.0.0.0",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=ice-ufrag:4ZcD",
        "a=ice-pwd:2/1muCWoOi3uLifh0NuRHlbu",
        "a=ice-options:trickle",
        "a=fingerprint:sha-256 75:74:5A:A6:A4:E5:52:F4:A7:67:4C:01:C7:EE:91:3F:21:3D:A2:E3:53:7B:6F:30:86:F2:30:AA:65:FB:04:24",
        "a=setup:actpass",
        "a=mid:0",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=sendrecv",
        "a=msid:stream1 track1",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "a=rtcp-fb:111 transport-cc",
        "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=rtpmap:63 red/48000/2",
        "a=fmtp:63 111/111",
        "a=rtpmap:9 G722/8000",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:13 CN/8000",
        "a=rtpmap:110 telephone-event/48000",
        "a=rtpmap:126 telephone-event/8000",
        "a=ssrc:3735928559 cname:Yx0pZ2t1n3bq",
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
        "c=IN IP4 0.0.0.0",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=ice-ufrag:4ZcD",
        "a=ice-pwd:2/1muCWoOi3uLifh0NuRHlbu",
        "a=fingerprint:sha-256 75:74:5A:A6:A4:E5:52:F4:A7:67:4C:01:C7:EE:91:3F:21:3D:A2:E3:53:7B:6F:30:86:F2:30:AA:65:FB:04:24",
        "a=setup:actpass",
        "a=mid:1",
        "a=sendrecv",
        "a=rtcp-mux",
        "a=rtcp-rsize",
        "a=rtpmap:96 VP8/90000",
        "a=rtcp-fb:96 goog-remb",
        "a=rtcp-fb:96 nack",
        "a=rtcp-fb:96 nack pli",
        "a=rtpmap:97 rtx/90000",
        "a=fmtp:97 apt=96");

    /// <summary>IPv6 with i=, b=, t=, r=, z= lines and an IPv6 multicast c= with an address count.</summary>
    public static readonly string Ipv6Offer = Crlf(
        "v=0",
        "o=carol 28908764872 28908764872 IN IP6 2001:db8::1",
        "s=IPv6 call",
        "i=A call over IPv6",
        "c=IN IP6 2001:db8::1",
        "b=CT:128",
        "t=3034423619 3042462419",
        "r=7d 1h 0 25h",
        "z=2882844526 -1h 2898848070 0",
        "m=audio 49230 RTP/AVP 0 8 97",
        "c=IN IP6 2001:db8::2",
        "a=rtpmap:97 iLBC/8000",
        "a=fmtp:97 mode=30",
        "a=rtcp:49231 IN IP6 2001:db8::2",
        "a=recvonly",
        "m=video 51372/2 RTP/AVP 31",
        "c=IN IP6 ff15::101/3");

    /// <summary>A hold re-offer (RFC 3264 §8.4).</summary>
    public static readonly string HoldOffer = Crlf(
        "v=0",
        "o=alice 2890844526 2890844528 IN IP4 192.0.2.10",
        "s=-",
        "c=IN IP4 192.0.2.10",
        "t=0 0",
        "m=audio 49170 RTP/AVP 0 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=sendonly",
        "a=ptime:20");

    /// <summary>An answer declining video (port 0), with a session name of one space (RFC 8866 §5.3).</summary>
    public static readonly string DeclinedVideoAnswer = Crlf(
        "v=0",
        "o=bob 2808844564 2808844565 IN IP4 198.51.100.20",
        "s= ",
        "c=IN IP4 198.51.100.20",
        "t=0 0",
        "m=audio 5004 RTP/AVP 8",
        "a=rtpmap:8 PCMA/8000",
        "m=video 0 RTP/AVP 96",
        "a=rtpmap:96 H264/90000");

    /// <summary>The RFC 8866 §5 example.</summary>
    public static readonly string Rfc8866Example = Crlf(
        "v=0",
        "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1",
        "s=Call to John Smith",
        "i=SDP Offer #1",
        "u=http://www.jdoe.example.com/home.html",
        "e=Jane Doe <jane@jdoe.example.com>",
        "p=+1 617 555-6011",
        "c=IN IP4 198.51.100.1",
        "t=0 0",
        "m=audio 49170 RTP/AVP 0",
        "m=audio 49180 RTP/AVP 0",
        "m=video 51372 RTP/AVP 99",
        "c=IN IP6 2001:db8::2",
        "a=rtpmap:99 h263-1998/90000");

    public static TheoryData<string> Names =>
    [
        nameof(InviteBody), nameof(BaresipSrtpOffer), nameof(WebRtcOffer), nameof(Ipv6Offer), nameof(HoldOffer),
        nameof(DeclinedVideoAnswer), nameof(Rfc8866Example),
    ];

    public static string[] AllTexts => [InviteBody, BaresipSrtpOffer, WebRtcOffer, Ipv6Offer, HoldOffer, DeclinedVideoAnswer, Rfc8866Example];

    public static string Get(string name) => name switch
    {
        nameof(InviteBody) => InviteBody,
        nameof(BaresipSrtpOffer) => BaresipSrtpOffer,
        nameof(WebRtcOffer) => WebRtcOffer,
        nameof(Ipv6Offer) => Ipv6Offer,
        nameof(HoldOffer) => HoldOffer,
        nameof(DeclinedVideoAnswer) => DeclinedVideoAnswer,
        nameof(Rfc8866Example) => Rfc8866Example,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static string Crlf(params string[] lines) => string.Concat(lines.Select(line => line + "\r\n"));

    public static SessionDescription Parse(string text)
    {
        bool ok = SessionDescription.TryParse(Encoding.UTF8.GetBytes(text), out SessionDescription? sdp, out string? error);
        Assert.True(ok, error);
        return sdp!;
    }

    public static string Write(SessionDescription sdp) => Encoding.UTF8.GetString(sdp.ToArray());

    public static string? Reject(string text)
    {
        bool ok = SessionDescription.TryParse(Encoding.UTF8.GetBytes(text), out SessionDescription? sdp, out string? error);
        Assert.False(ok);
        Assert.Null(sdp);
        Assert.False(string.IsNullOrEmpty(error));
        return error;
    }
}
