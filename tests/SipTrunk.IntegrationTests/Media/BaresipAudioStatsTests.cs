using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Media;

public sealed class BaresipAudioStatsTests
{
    // baresip 1.0's audio_debug during an SRTP call (trimmed of its jitter-buffer lines).
    private const string Srtp =
        "\n--- Audio stream ---\n tx:   encode: PCMU 8000Hz/1ch ptime=20ms S16LE\n       source: ausine,440 S16LE\n"
        + " rx:   decode: PCMU 8000Hz/1ch S16LE\n       player: none,/dev/null S16LE\n"
        + " audio dir=sendrecv pt_enc=0\n local: 0.0.0.0:14070, remote: 127.0.0.1:40744/127.0.0.1:40745\n"
        + " mnat: (none) (connected=no)\n menc: srtp-mand (secure=yes)\nRTP debug:\n Encode: seq=22353 ssrc=0x45273ec2\n"
        + "----- RTCP Session: -----\n  cname=sip:alice@127.0.0.1 SSRC=0x45273ec2/1160199874 rx=8000Hz\n"
        + "  member 0x7f960bcf: lost=0 Jitter=1.2ms RTT=0.0ms\n                 IP=127.0.0.1:40744 psent=250 rcvd=331\n"
        + "  TX: packets=330, octets=52800\n";

    [Fact]
    public void Parse_SrtpCall_ReadsCountersEncryptionAndAddresses()
    {
        var stats = BaresipAudioStats.Parse(Srtp);

        Assert.Equal((330, 331), (stats.PacketsSent, stats.PacketsReceived));
        Assert.Equal("srtp-mand", stats.MediaEncryption);
        Assert.True(stats.Secure);
        Assert.Equal(("0.0.0.0:14070", "127.0.0.1:40744"), (stats.LocalRtp, stats.RemoteRtp));
    }

    [Fact]
    public void Parse_PlainCallBeforeAnyPacket_NoEncryptionAndZeroCounts()
    {
        var stats = BaresipAudioStats.Parse(
            " local: 0.0.0.0:14832, remote: 127.0.0.1:16976/127.0.0.1:16977\n menc: (none) (secure=no)\nRTP debug:\n");

        Assert.Equal((0, 0), (stats.PacketsSent, stats.PacketsReceived));
        Assert.Null(stats.MediaEncryption);
        Assert.False(stats.Secure);
        Assert.Equal("127.0.0.1:16976", stats.RemoteRtp);
    }
}
