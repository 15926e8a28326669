using System.Net;
using SipTrunk.Testing.Media;

namespace SipTrunk.IntegrationTests.Media;

public sealed class SdpSummaryTests
{
    // baresip 1.0's offer with srtp-mand, as its SIP trace shows it (CRLF line ends).
    private const string BaresipOffer =
        "v=0\r\no=- 1785014860 1703724748 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\na=tool:baresip 1.0.0\r\n"
        + "m=audio 26508 RTP/SAVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
        + "a=fmtp:101 0-15\r\na=sendrecv\r\na=label:1\r\na=rtcp-rsize\r\na=ssrc:695975994 cname:sip:alice@127.0.0.1\r\n"
        + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:M5KYQ/B4KGW3lkoPcTbm2Edp8/Zr8Kww7AGYlDLX\r\na=minptime:20\r\na=ptime:20\r\n";

    [Fact]
    public void Parse_BaresipSrtpOffer_ReadsAudioStreamAndCrypto()
    {
        var sdp = SdpSummary.Parse(BaresipOffer);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 26508), sdp.AudioEndPoint);
        Assert.Equal("RTP/SAVP", sdp.AudioProtocol);
        Assert.Equal(["0", "8", "101"], sdp.AudioFormats);
        Assert.Equal(["1 AES_CM_128_HMAC_SHA1_80 inline:M5KYQ/B4KGW3lkoPcTbm2Edp8/Zr8Kww7AGYlDLX"], sdp.Crypto);
        Assert.Equal(["inline:M5KYQ/B4KGW3lkoPcTbm2Edp8/Zr8Kww7AGYlDLX"], sdp.CryptoKeys);
    }

    [Fact]
    public void Parse_MediaLevelConnectionAndSecondStream_FirstAudioStreamOnly()
    {
        var sdp = SdpSummary.Parse(
            "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 4000 RTP/AVP 0\nc=IN IP4 127.0.0.2\n"
            + "a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:AAAA\nm=audio 5000 RTP/SAVP 8\nc=IN IP4 127.0.0.3\na=crypto:2 X inline:BBBB\n");

        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 4000), sdp.AudioEndPoint);
        Assert.Equal(["0"], sdp.AudioFormats);
        Assert.Equal(["1 AES_CM_128_HMAC_SHA1_32 inline:AAAA"], sdp.Crypto);
    }

    [Fact]
    public void Parse_NoAudio_NothingFound()
    {
        var sdp = SdpSummary.Parse("v=0\r\nc=IN IP4 127.0.0.1\r\nm=video 4000 RTP/AVP 96\r\na=crypto:1 X inline:A\r\n");

        Assert.Null(sdp.AudioPort);
        Assert.Null(sdp.AudioEndPoint);
        Assert.Empty(sdp.Crypto);
    }
}
