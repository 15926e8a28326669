using System.Buffers;
using System.Net;
using System.Text;
using SipTrunk.Sip.Sdp;
using static SipTrunk.Sip.Tests.Sdp.SdpSamples;

namespace SipTrunk.Sip.Tests.Sdp;

public sealed class SessionDescriptionTests
{
    [Fact]
    public void TryParse_InviteBody_MatchesBenchFileAndRoundTrips()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(InviteBody);
        Assert.Equal(354, bytes.Length);

        Assert.True(SessionDescription.TryParse(bytes, out SessionDescription? sdp, out string? error), error);

        Assert.Equal(bytes, sdp.ToArray());
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(SdpSamples))]
    public void TryParse_RealisticSample_WritesBackByteForByte(string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Get(name));

        Assert.True(SessionDescription.TryParse(bytes, out SessionDescription? sdp, out string? error), error);

        Assert.Equal(bytes, sdp.ToArray());
        var writer = new ArrayBufferWriter<byte>();
        sdp.WriteTo(writer);
        Assert.Equal(bytes, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void TryParse_InviteBody_ReadsSessionLevelFields()
    {
        SessionDescription sdp = Parse(InviteBody);

        Assert.Equal(new SdpOrigin("alice", "2890844526", "2890844527", "IN", "IP4", "192.0.2.10"), sdp.Origin);
        Assert.Equal(2890844527UL, sdp.Origin.SessionVersionNumber);
        Assert.Equal("-", sdp.SessionName);
        Assert.Equal(new SdpConnection("IN", "IP4", "192.0.2.10"), sdp.Connection);
        Assert.Equal("0 0", Assert.Single(sdp.Lines, line => line.Type == 't').Value);
        MediaDescription audio = Assert.Single(sdp.Media);
        Assert.Equal("audio", audio.Media);
        Assert.Equal(49170, audio.Port);
        Assert.Equal(2, audio.Crypto.Count);
        Assert.Equal(SdpDirection.SendRecv, audio.ExplicitDirection);
        Assert.Null(sdp.ExplicitDirection);
    }

    [Fact]
    public void TryParse_Rfc8866Example_KeepsOtherLinesInPosition()
    {
        SessionDescription sdp = Parse(Rfc8866Example);

        Assert.Equal("vosiuepct", new string([.. sdp.Lines.Select(line => line.Type)]));
        Assert.Equal("Call to John Smith", sdp.SessionName);
        Assert.Equal("+1 617 555-6011", sdp.Lines[6].Value);
        Assert.Equal(3, sdp.Media.Count);
        Assert.Null(sdp.Media[0].Connection);
        Assert.Equal(new SdpConnection("IN", "IP6", "2001:db8::2"), sdp.Media[2].Connection);
        Assert.Equal(new SdpRtpMap(99, "h263-1998", 90000), Assert.Single(sdp.Media[2].RtpMaps));
    }

    [Fact]
    public void TryParse_Ipv6Offer_ReadsIpv6AndMulticastConnection()
    {
        SessionDescription sdp = Parse(Ipv6Offer);

        Assert.Equal("IP6", sdp.Origin.AddressType);
        Assert.True(sdp.Connection!.TryGetIPAddress(out IPAddress? address));
        Assert.Equal(IPAddress.Parse("2001:db8::1"), address);
        Assert.Equal(new SdpRtcp(49231, new SdpConnection("IN", "IP6", "2001:db8::2")), sdp.Media[0].Rtcp);
        Assert.Equal(SdpDirection.RecvOnly, sdp.Media[0].Direction);
        Assert.Equal(2, sdp.Media[1].PortCount);
        Assert.Equal(new SdpConnection("IN", "IP6", "ff15::101", addressCount: 3), sdp.Media[1].Connection);
        Assert.Equal(["b=CT:128", "t=3034423619 3042462419", "r=7d 1h 0 25h", "z=2882844526 -1h 2898848070 0"],
            sdp.Lines.Where(line => line.Type is 'b' or 't' or 'r' or 'z').Select(line => line.ToWireString()));
    }

    [Fact]
    public void TryParse_LfOnlyInput_ParsesAndWritesCrlf()
    {
        string lfOnly = BaresipSrtpOffer.Replace("\r\n", "\n", StringComparison.Ordinal);

        SessionDescription sdp = Parse(lfOnly);

        Assert.Equal(BaresipSrtpOffer, Write(sdp));
    }

    [Fact]
    public void TryParse_MixedLineEndingsAndNoFinalNewline_WritesCrlfEverywhere()
    {
        SessionDescription sdp = Parse("v=0\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\nt=0 0");

        Assert.Equal(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0"), Write(sdp));
    }

    [Fact]
    public void TryParse_TrailingBlankLines_AcceptedAndNotWritten()
    {
        SessionDescription sdp = Parse(HoldOffer + "\r\n\r\n");

        Assert.Equal(HoldOffer, Write(sdp));
    }

    [Fact]
    public void TryParse_MissingTiming_AcceptedAndKeptAbsent()
    {
        string text = Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "m=audio 4000 RTP/AVP 0");

        SessionDescription sdp = Parse(text);

        Assert.DoesNotContain(sdp.Lines, line => line.Type == 't');
        Assert.Equal(text, Write(sdp));
    }

    [Fact]
    public void TryParse_UnknownLinesAndAttributes_KeptVerbatim()
    {
        string text = Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "x=future thing", "t=0 0", "a=X-vendor:  odd  spacing ",
            "a=", "a=flag:", "m=audio  4000  RTP/AVP  0", "y=media level", "a=trailing ");

        SessionDescription sdp = Parse(text);

        Assert.Equal(text, Write(sdp));
        Assert.Equal("  odd  spacing ", sdp.GetAttributeValue("X-vendor"));
        Assert.Equal(string.Empty, sdp.GetAttribute("flag")!.Value);
        Assert.Equal(4000, sdp.Media[0].Port);
        Assert.Equal(["0"], sdp.Media[0].Formats);
    }

    [Fact]
    public void TryParse_NonAsciiSessionName_RoundTripsUtf8()
    {
        string text = Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=Réunion à Zürich ☎", "t=0 0");

        SessionDescription sdp = Parse(text);

        Assert.Equal("Réunion à Zürich ☎", sdp.SessionName);
        Assert.Equal(Encoding.UTF8.GetBytes(text), sdp.ToArray());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("v=1\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n", "v=0")]
    [InlineData("o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\ns=-\r\n", "v=0")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nthis is not sdp\r\n", "line 4")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n=x\r\n", "line 4")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n1=x\r\n", "<letter>=<value>")]
    [InlineData("v=0\r\ns=-\r\nt=0 0\r\n", "missing o=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=0 0\r\n", "missing s=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4\r\ns=-\r\n", "malformed o=")]
    [InlineData("v=0\r\no=- 1 x IN IP4 192.0.2.1\r\ns=-\r\n", "malformed o=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n", "duplicate o=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\ns=-\r\n", "duplicate s=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nv=0\r\n", "v= may only")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4\r\n", "malformed c=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 224.2.1.1/300\r\n", "malformed c=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP6 ff15::1/5/2\r\n", "malformed c=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 1.2.3.4/x\r\n", "malformed c=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio 65536 RTP/AVP 0\r\n", "65536")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio -1 RTP/AVP 0\r\n", "port")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio port RTP/AVP 0\r\n", "port")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio 4000/0 RTP/AVP 0\r\n", "port count")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio 4000\r\n", "m= needs")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio 4000 RTP/AVP 0\r\no=- 1 1 IN IP4 192.0.2.1\r\n", "not allowed in a media section")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n\r\ns=-\r\n", "empty line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=a\rb\r\n", "bare CR")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=a\0b\r\n", "NUL")]
    public void TryParse_MalformedInput_FailsWithReason(string text, string reasonFragment)
    {
        string? error = Reject(text);

        Assert.Contains(reasonFragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_InvalidUtf8_FailsWithReason()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns="), 0xC3, 0x28, (byte)'\r', (byte)'\n'];

        Assert.False(SessionDescription.TryParse(bytes, out _, out string? error));
        Assert.Contains("UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_MoreThan64KiB_Fails()
    {
        var builder = new StringBuilder(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-"));
        builder.Append("a=x:").Append('y', SessionDescription.MaxBytes).Append("\r\n");

        Assert.Contains("larger than", Reject(builder.ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_MoreThan1024Lines_Fails()
    {
        var builder = new StringBuilder(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-"));
        for (int i = 3; i < SessionDescription.MaxLines; i++)
        {
            builder.Append("a=x\r\n");
        }

        Parse(builder.ToString());
        builder.Append("a=x\r\n");
        Assert.Contains("1024 lines", Reject(builder.ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_MoreThan64MediaSections_Fails()
    {
        var builder = new StringBuilder(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0"));
        for (int i = 0; i < SessionDescription.MaxMediaDescriptions; i++)
        {
            builder.Append("m=audio 0 RTP/AVP 0\r\n");
        }

        Assert.Equal(64, Parse(builder.ToString()).Media.Count);
        builder.Append("m=audio 0 RTP/AVP 0\r\n");
        Assert.Contains("64 media", Reject(builder.ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_SrtpOffer_RedactsKeysAndIcePassword()
    {
        SessionDescription sdp = Parse(BaresipSrtpOffer);

        string logged = sdp.ToString();

        Assert.DoesNotContain(BaresipKey1, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(BaresipKey2, logged, StringComparison.Ordinal);
        Assert.DoesNotContain("w3Qb8zQUSJwF1lWQ9HqgMi", logged, StringComparison.Ordinal);
        Assert.Contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<redacted>|2^31\r\n", logged, StringComparison.Ordinal);
        Assert.Contains("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:<redacted>\r\n", logged, StringComparison.Ordinal);
        Assert.Contains("a=ice-pwd:<redacted>\r\n", logged, StringComparison.Ordinal);
        Assert.Contains("m=audio 10224 RTP/SAVP 111 0 8 101\r\n", logged, StringComparison.Ordinal);
        Assert.Contains(BaresipKey1, Write(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_MalformedCryptoAndKeyLine_RedactsKeysAnyway()
    {
        SessionDescription sdp = Parse(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "k=clear:supersecret", "t=0 0",
            "m=audio 4000 RTP/SAVP 0", "a=crypto:x BOGUS inline:topsecretkey|1:4;inline:othersecret",
            "a=key-mgmt:mikey AQAFgM0XflABAAAAAAAAAAAAAAsAyO"));

        string logged = sdp.ToString();

        Assert.DoesNotContain("supersecret", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecretkey", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("othersecret", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("AQAFgM0X", logged, StringComparison.Ordinal);
        Assert.Contains("k=clear:<redacted>", logged, StringComparison.Ordinal);
        Assert.Contains("a=crypto:x BOGUS inline:<redacted>|1:4;inline:<redacted>", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", sdp.Media[0].Lines[0].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", sdp.Media[0].GetAttribute("crypto")!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Anchor_BaresipOffer_ProducesExpectedText()
    {
        SessionDescription sdp = Parse(BaresipSrtpOffer);
        var relay = IPAddress.Parse("198.51.100.1");
        MediaDescription audio = sdp.Media[0];

        sdp.Origin = sdp.Origin.WithAddress("IP4", "198.51.100.1");
        sdp.IncrementVersion();
        sdp.Connection = SdpConnection.FromIPAddress(relay);
        audio.Port = 30000;
        audio.Rtcp = new SdpRtcp(30001, SdpConnection.FromIPAddress(relay));
        Assert.Equal(7, sdp.RemoveAllIceAttributes());
        audio.SetCrypto([SdpCrypto.Create(1, SdpCryptoSuites.AesCm128HmacSha1_80, Convert.FromBase64String(RelayKey))]);
        audio.Direction = SdpDirection.SendOnly;

        Assert.Equal(Crlf(
            "v=0",
            "o=- 3948210381 3948210383 IN IP4 198.51.100.1",
            "s=-",
            "c=IN IP4 198.51.100.1",
            "t=0 0",
            "a=tool:baresip 3.10.1",
            "m=audio 30000 RTP/SAVP 111 0 8 101",
            "b=AS:128",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 stereo=1;sprop-stereo=1",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-15",
            "a=rtcp:30001 IN IP4 198.51.100.1",
            "a=rtcp-mux",
            "a=sendonly",
            "a=label:1",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + RelayKey,
            "a=ptime:20"), Write(sdp));
    }

    [Fact]
    public void Anchor_WebRtcOfferToPlainRtp_ProducesExpectedMediaSection()
    {
        SessionDescription sdp = Parse(WebRtcOffer);
        MediaDescription audio = sdp.Media[0];

        sdp.RemoveAllIceAttributes();
        sdp.RemoveAttributes("group");
        sdp.Media.RemoveAt(1);
        audio.Protocol = "RTP/AVP";
        audio.Port = 20000;
        audio.Connection = new SdpConnection("IN", "IP4", "203.0.113.5");
        audio.Rtcp = null;
        audio.RemoveAttributes("fingerprint");
        audio.RemoveAttributes("setup");
        audio.RemoveAttributes(attribute => attribute.Name.StartsWith("rtcp-fb", StringComparison.Ordinal));
        foreach (string format in audio.Formats.Where(f => f is not ("0" or "8" or "126")).ToList())
        {
            audio.Formats.Remove(format);
        }

        Assert.Equal(Crlf(
            "m=audio 20000 RTP/AVP 0 8 126",
            "c=IN IP4 203.0.113.5",
            "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=sendrecv",
            "a=msid:stream1 track1",
            "a=rtcp-mux"), string.Concat(Write(sdp).Split("\r\n")[6..13].Select(line => line + "\r\n")));
        Assert.Equal(Crlf("v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=extmap-allow-mixed", "a=msid-semantic: WMS stream1"),
            string.Concat(Write(sdp).Split("\r\n")[..6].Select(line => line + "\r\n")));
        Assert.False(audio.IsSecureRtp);
    }

    [Fact]
    public void IncrementVersion_AllNines_CarriesIntoNewDigit()
    {
        SessionDescription sdp = Parse(Crlf("v=0", "o=- 7 999 IN IP4 192.0.2.1", "s=-", "t=0 0"));

        sdp.IncrementVersion();

        Assert.Equal("1000", sdp.Origin.SessionVersion);
        Assert.Equal(Crlf("v=0", "o=- 7 1000 IN IP4 192.0.2.1", "s=-", "t=0 0"), Write(sdp));
    }

    [Fact]
    public void GetEffectiveDirection_SessionLevelSendOnly_InheritedUnlessMediaOverrides()
    {
        SessionDescription sdp = Parse(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0", "a=sendonly",
            "m=audio 4000 RTP/AVP 0", "m=audio 4002 RTP/AVP 0", "a=inactive"));

        Assert.Equal(SdpDirection.SendOnly, sdp.Direction);
        Assert.Equal(SdpDirection.SendOnly, sdp.GetEffectiveDirection(sdp.Media[0]));
        Assert.Equal(SdpDirection.SendRecv, sdp.Media[0].Direction);
        Assert.Equal(SdpDirection.Inactive, sdp.GetEffectiveDirection(sdp.Media[1]));
    }

    [Fact]
    public void Connection_SetAtSessionLevelWhenAbsent_InsertedInRfcOrder()
    {
        SessionDescription sdp = Parse(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "b=AS:64", "t=0 0", "a=tool:x"));

        sdp.Connection = new SdpConnection("IN", "IP4", "192.0.2.9");

        Assert.Equal(Crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.9", "b=AS:64", "t=0 0", "a=tool:x"), Write(sdp));

        sdp.Connection = null;
        Assert.Null(sdp.Connection);
        Assert.DoesNotContain(sdp.Lines, line => line.Type == 'c');
    }

    [Fact]
    public void AddLineAndRemoveLines_Bandwidth_PlacedAndRemoved()
    {
        SessionDescription sdp = Parse(HoldOffer);
        MediaDescription audio = sdp.Media[0];

        audio.AddLine(new SdpLine('b', "AS:80"));
        sdp.AddLine(new SdpLine('i', "hold"));

        string text = Write(sdp);
        Assert.Contains("s=-\r\ni=hold\r\nc=IN IP4", text, StringComparison.Ordinal);
        Assert.Contains("m=audio 49170 RTP/AVP 0 101\r\nb=AS:80\r\na=rtpmap:0", text, StringComparison.Ordinal);
        Assert.Equal(1, audio.RemoveLines('b'));
        Assert.Throws<ArgumentException>(() => audio.AddLine(new SdpLine('c', "IN IP4 1.2.3.4")));
        Assert.Throws<ArgumentException>(() => sdp.RemoveLines('o'));
    }

    [Fact]
    public void Media_AddNewSection_WrittenFormatted()
    {
        SessionDescription sdp = Parse(HoldOffer);
        var video = new MediaDescription("video", 0, "RTP/AVP", ["96"]);
        video.AddAttribute("rtpmap", "96 H264/90000");

        sdp.Media.Add(video);

        Assert.EndsWith("a=ptime:20\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n", Write(sdp), StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => sdp.Media.Add(null!));
    }

    [Fact]
    public void Clone_ModifyCopy_OriginalUnchanged()
    {
        SessionDescription original = Parse(BaresipSrtpOffer);

        SessionDescription copy = original.Clone();
        copy.Media[0].Port = 1;
        copy.Media[0].Formats.Clear();
        copy.RemoveAllIceAttributes();
        copy.Origin = copy.Origin.WithIncrementedVersion();

        Assert.Equal(BaresipSrtpOffer, Write(original));
        Assert.NotEqual(BaresipSrtpOffer, Write(copy));
        Assert.StartsWith("m=audio 1 RTP/SAVP", Write(copy).Split("\r\n")[6], StringComparison.Ordinal);
    }

    [Fact]
    public void SessionName_Set_ReplacesInPlaceAndRejectsLineBreaks()
    {
        SessionDescription sdp = Parse(InviteBody);

        sdp.SessionName = "Relayed";

        Assert.Equal("s=Relayed", Write(sdp).Split("\r\n")[2]);
        Assert.Throws<ArgumentException>(() => sdp.SessionName = "a\r\nm=audio 1 RTP/AVP 0");
        Assert.Throws<ArgumentException>(() => sdp.SessionName = string.Empty);
    }
}
