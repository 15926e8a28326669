using SipTrunk.Sip.Sdp;
using static SipTrunk.Sip.Tests.Sdp.SdpSamples;

namespace SipTrunk.Sip.Tests.Sdp;

public sealed class MediaDescriptionTests
{
    [Fact]
    public void TypedReads_BaresipOffer_ExposeEveryElement()
    {
        MediaDescription audio = Parse(BaresipSrtpOffer).Media[0];

        Assert.Equal("audio", audio.Media);
        Assert.Equal(10224, audio.Port);
        Assert.Null(audio.PortCount);
        Assert.Equal("RTP/SAVP", audio.Protocol);
        Assert.True(audio.IsSecureRtp);
        Assert.False(audio.IsDtlsSrtp);
        Assert.False(audio.IsDeclined);
        Assert.Equal(["111", "0", "8", "101"], audio.Formats);
        Assert.Equal(
            [new SdpRtpMap(111, "opus", 48000, 2), new SdpRtpMap(0, "PCMU", 8000), new SdpRtpMap(8, "PCMA", 8000), new SdpRtpMap(101, "telephone-event", 8000)],
            audio.RtpMaps);
        Assert.Equal("stereo=1;sprop-stereo=1", audio.GetFmtp(111));
        Assert.Equal("0-15", audio.GetFmtp(101));
        Assert.Null(audio.GetFmtp(0));
        Assert.Null(audio.GetFmtp(11));
        Assert.Equal(new SdpRtcp(10225, new SdpConnection("IN", "IP4", "192.168.1.20")), audio.Rtcp);
        Assert.True(audio.RtcpMux);
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
        Assert.Equal(2, audio.Crypto.Count);
        Assert.False(audio.HasInvalidCrypto);
        Assert.Equal(3, audio.GetAttributes("candidate").Count());
        Assert.Equal("20", audio.GetAttributeValue("ptime"));
        Assert.Null(audio.Connection);
    }

    [Fact]
    public void TypedReads_WebRtcOffer_DtlsProfileAndAttributes()
    {
        SessionDescription sdp = Parse(WebRtcOffer);
        MediaDescription video = sdp.Media[1];

        Assert.Equal("UDP/TLS/RTP/SAVPF", video.Protocol);
        Assert.True(video.IsSecureRtp);
        Assert.True(video.IsDtlsSrtp);
        Assert.Empty(video.Crypto);
        Assert.Equal(new SdpRtcp(9, new SdpConnection("IN", "IP4", "0.0.0.0")), video.Rtcp);
        Assert.Equal("apt=96", video.GetFmtp(97));
        Assert.Equal(new SdpRtpMap(63, "red", 48000, 2), sdp.Media[0].GetRtpMap(63));
        Assert.Equal(" WMS stream1", sdp.GetAttributeValue("msid-semantic"));
        Assert.Equal("actpass", video.GetAttributeValue("setup"));
        Assert.Equal(3, video.GetAttributes("rtcp-fb").Count());
    }

    [Theory]
    [InlineData("RTP/AVP", false)]
    [InlineData("RTP/AVPF", false)]
    [InlineData("RTP/SAVP", true)]
    [InlineData("RTP/SAVPF", true)]
    [InlineData("UDP/TLS/RTP/SAVP", true)]
    [InlineData("UDP/TLS/RTP/SAVPF", true)]
    [InlineData("udp", false)]
    [InlineData("TCP/MRCPv2", false)]
    public void IsSecureRtp_Protocol_DetectsSavpProfiles(string protocol, bool expected)
    {
        var media = new MediaDescription("audio", 4000, protocol, ["0"]);

        Assert.Equal(expected, media.IsSecureRtp);
    }

    [Fact]
    public void DeclinedStream_PortZero_IsDeclined()
    {
        SessionDescription sdp = Parse(DeclinedVideoAnswer);

        Assert.False(sdp.Media[0].IsDeclined);
        Assert.True(sdp.Media[1].IsDeclined);
        Assert.Equal(0, sdp.Media[1].Port);
        Assert.Equal(" ", sdp.SessionName);
    }

    [Fact]
    public void Port_SetSameValue_KeepsRawMediaLine()
    {
        SessionDescription sdp = Parse(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "m=audio  4000 RTP/AVP 0"));

        sdp.Media[0].Port = 4000;
        sdp.Media[0].Protocol = "RTP/AVP";

        Assert.EndsWith("m=audio  4000 RTP/AVP 0\r\n", Write(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void Port_Changed_ReformatsMediaLine()
    {
        SessionDescription sdp = Parse(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "m=audio  4000/2 RTP/AVP 0  8", "a=x"));

        sdp.Media[0].Port = 5000;

        Assert.EndsWith("m=audio 5000/2 RTP/AVP 0 8\r\na=x\r\n", Write(sdp), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => sdp.Media[0].Port = 65536);
        Assert.Throws<ArgumentOutOfRangeException>(() => sdp.Media[0].PortCount = 0);
    }

    [Fact]
    public void Formats_Edited_ReformatsAndValidates()
    {
        SessionDescription sdp = Parse(HoldOffer);
        MediaDescription audio = sdp.Media[0];

        audio.Formats.Insert(0, "8");
        audio.Formats.Remove("101");

        Assert.Contains("m=audio 49170 RTP/AVP 8 0\r\n", Write(sdp), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => audio.Formats.Add("1 2"));
        Assert.Throws<ArgumentException>(() => audio.Formats[0] = string.Empty);
    }

    [Fact]
    public void Direction_SetOnHoldOffer_ReplacedInPlace()
    {
        SessionDescription sdp = Parse(HoldOffer);

        sdp.Media[0].Direction = SdpDirection.RecvOnly;

        Assert.EndsWith("a=fmtp:101 0-16\r\na=recvonly\r\na=ptime:20\r\n", Write(sdp), StringComparison.Ordinal);
        Assert.Equal(SdpDirection.RecvOnly, sdp.Media[0].Direction);
    }

    [Fact]
    public void Direction_SetWhenAbsent_AppendedAfterLastAttribute()
    {
        SessionDescription sdp = Parse(DeclinedVideoAnswer);

        sdp.Media[0].Direction = SdpDirection.Inactive;

        Assert.Contains("a=rtpmap:8 PCMA/8000\r\na=inactive\r\nm=video", Write(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void Direction_SeveralDirectionAttributes_FirstReplacedOthersRemoved()
    {
        SessionDescription sdp = Parse(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "m=audio 4000 RTP/AVP 0", "a=sendonly", "a=x", "a=inactive"));

        Assert.Equal(SdpDirection.SendOnly, sdp.Media[0].Direction);
        sdp.Media[0].Direction = SdpDirection.SendRecv;

        Assert.EndsWith("m=audio 4000 RTP/AVP 0\r\na=sendrecv\r\na=x\r\n", Write(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void SetCrypto_InviteBody_ReplacesAllAtFirstPosition()
    {
        SessionDescription sdp = Parse(InviteBody);
        MediaDescription audio = sdp.Media[0];
        SdpCrypto fresh = SdpCrypto.Create(2, SdpCryptoSuites.AesCm128HmacSha1_32, Convert.FromBase64String(RelayKey));

        audio.SetCrypto([fresh]);

        Assert.EndsWith(Crlf("a=rtpmap:101 telephone-event/8000", "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + RelayKey, "a=sendrecv"),
            Write(sdp), StringComparison.Ordinal);
        Assert.Equal(2, Assert.Single(audio.Crypto).Tag);
    }

    [Fact]
    public void SetCrypto_ParsedCryptoPassthrough_KeepsExactText()
    {
        SessionDescription sdp = Parse(BaresipSrtpOffer);
        MediaDescription audio = sdp.Media[0];

        audio.SetCrypto(audio.Crypto);

        Assert.Equal(BaresipSrtpOffer, Write(sdp));
    }

    [Fact]
    public void SetCrypto_Empty_RemovesAllIncludingInvalid()
    {
        SessionDescription sdp = Parse(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "m=audio 4000 RTP/SAVP 0",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + RelayKey, "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:short", "a=ptime:20"));
        MediaDescription audio = sdp.Media[0];
        Assert.True(audio.HasInvalidCrypto);

        audio.SetCrypto([]);

        Assert.Empty(audio.GetAttributes("crypto"));
        Assert.False(sdp.HasInvalidCrypto);
        Assert.EndsWith("m=audio 4000 RTP/SAVP 0\r\na=ptime:20\r\n", Write(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void SetCrypto_NoExistingCrypto_AppendedAfterLastAttribute()
    {
        SessionDescription sdp = Parse(HoldOffer);

        sdp.Media[0].SetCrypto([SdpCrypto.Create(1, SdpCryptoSuites.AesCm128HmacSha1_80, Convert.FromBase64String(RelayKey))]);

        Assert.EndsWith("a=ptime:20\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + RelayKey + "\r\n", Write(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidCrypto_MalformedLine_KeptVerbatimAndReported()
    {
        string text = Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "m=audio 4000 RTP/SAVP 0",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + BaresipKey1,
            "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:!!notbase64!!",
            "a=crypto:abc AES_CM_128_HMAC_SHA1_80 inline:" + BaresipKey2);

        SessionDescription sdp = Parse(text);
        MediaDescription audio = sdp.Media[0];

        Assert.Equal(text, Write(sdp));
        Assert.Equal(1, Assert.Single(audio.Crypto).Tag);
        Assert.True(sdp.HasInvalidCrypto);
        Assert.Collection(audio.InvalidCrypto,
            invalid => Assert.Contains("base64", invalid.Error, StringComparison.Ordinal),
            invalid => Assert.Contains("tag", invalid.Error, StringComparison.Ordinal));
    }

    [Fact]
    public void Rtcp_SetAndRemove_ReplacesInPlace()
    {
        SessionDescription sdp = Parse(Ipv6Offer);
        MediaDescription audio = sdp.Media[0];

        audio.Rtcp = new SdpRtcp(20001);
        Assert.Contains("a=fmtp:97 mode=30\r\na=rtcp:20001\r\na=recvonly\r\n", Write(sdp), StringComparison.Ordinal);

        audio.Rtcp = null;
        Assert.Null(audio.Rtcp);
        Assert.DoesNotContain("a=rtcp", Write(sdp), StringComparison.Ordinal);

        audio.Rtcp = new SdpRtcp(20001, new SdpConnection("IN", "IP6", "2001:db8::99"));
        Assert.Contains("a=recvonly\r\na=rtcp:20001 IN IP6 2001:db8::99\r\nm=video", Write(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void Rtcp_MalformedAttribute_ReadsNullAndIsReplacedBySetter()
    {
        SessionDescription sdp = Parse(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "m=audio 4000 RTP/AVP 0", "a=rtcp:abc IN IP4 10.0.0.1", "a=x"));
        MediaDescription audio = sdp.Media[0];

        Assert.Null(audio.Rtcp);
        audio.Rtcp = new SdpRtcp(4001);

        Assert.EndsWith("a=rtcp:4001\r\na=x\r\n", Write(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void RtcpMux_Set_AddsOnceAndRemoves()
    {
        SessionDescription sdp = Parse(HoldOffer);
        MediaDescription audio = sdp.Media[0];

        audio.RtcpMux = true;
        audio.RtcpMux = true;
        Assert.Single(audio.GetAttributes("rtcp-mux"));
        Assert.EndsWith("a=ptime:20\r\na=rtcp-mux\r\n", Write(sdp), StringComparison.Ordinal);

        audio.RtcpMux = false;
        Assert.Equal(HoldOffer, Write(sdp));
    }

    [Fact]
    public void RemoveIceAttributes_MediaLevelOnly_LeavesSessionLevel()
    {
        SessionDescription sdp = Parse(BaresipSrtpOffer);

        Assert.Equal(6, sdp.Media[0].RemoveIceAttributes());

        Assert.True(sdp.HasAttribute("ice-options"));
        Assert.DoesNotContain(sdp.Media[0].Attributes, attribute => attribute.Name.StartsWith("ice-", StringComparison.Ordinal) || attribute.Name is "candidate" or "end-of-candidates");
        Assert.Equal(1, sdp.RemoveIceAttributes());
    }

    [Fact]
    public void Attributes_SetGetRemove_ByName()
    {
        SessionDescription sdp = Parse(HoldOffer);
        MediaDescription audio = sdp.Media[0];

        audio.SetAttribute("ptime", "30");
        audio.AddAttribute("maxptime", "60");
        audio.AddAttribute(new SdpAttribute("label", "5"));

        Assert.Equal("30", audio.GetAttributeValue("ptime"));
        Assert.EndsWith("a=sendonly\r\na=ptime:30\r\na=maxptime:60\r\na=label:5\r\n", Write(sdp), StringComparison.Ordinal);
        Assert.False(audio.HasAttribute("ptim"));
        Assert.Equal(2, audio.RemoveAttributes("rtpmap"));
        Assert.Equal(0, audio.RemoveAttributes("rtpmap"));
        Assert.Throws<ArgumentException>(() => audio.SetAttribute("bad:name"));
        Assert.Throws<ArgumentException>(() => audio.SetAttribute("x", "line\r\nbreak"));
    }

    [Fact]
    public void Connection_SetOnMediaWithSeveralConnections_KeepsOne()
    {
        SessionDescription sdp = Parse(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "m=audio 4000 RTP/AVP 0",
            "c=IN IP4 224.2.1.1/127", "c=IN IP4 224.2.1.2/127", "a=x"));
        MediaDescription audio = sdp.Media[0];

        Assert.Equal(new SdpConnection("IN", "IP4", "224.2.1.1", ttl: 127), audio.Connection);
        audio.Connection = new SdpConnection("IN", "IP4", "192.0.2.50");

        Assert.EndsWith("m=audio 4000 RTP/AVP 0\r\nc=IN IP4 192.0.2.50\r\na=x\r\n", Write(sdp), StringComparison.Ordinal);
    }
}
