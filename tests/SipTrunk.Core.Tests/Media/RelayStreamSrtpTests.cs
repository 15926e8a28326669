using SipTrunk.Core.Media;
using SipTrunk.Core.Media.Srtp;
using SipTrunk.Core.Tests.Media.Srtp;

namespace SipTrunk.Core.Tests.Media;

/// <summary>
/// The relay with SRTP contexts on its legs: rekeying, forged and replayed packets, passthrough, SRTP/RTP bridging and
/// SRTP-authenticated re-latching. Each key is held by two separate contexts, the party's and the relay's, as in a
/// call. Every case runs against both ways of reading sockets (nested classes <c>Epoll</c> and <c>Async</c>).
/// </summary>
public abstract class RelayStreamSrtpTests : IDisposable
{
    private readonly List<SrtpContext> _contexts = [];

    private protected abstract RelayReceiveMode Mode { get; }

    [Fact]
    public async Task Relay_RekeyBothWays_EachReceiverDecryptsWithItsOwnKey()
    {
        await using var h = new RelayHarness(Mode);
        var (aSends, aRecv, bSends, bRecv) = (Key(1), Key(2), Key(3), Key(4));
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint, Decrypt = Key(1), Encrypt = Key(2) });
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint, Decrypt = Key(3), Encrypt = Key(4) });

        var toB = RtpPackets.Rtp(1);
        var sentByA = aSends.Protect(toB);
        h.A.SendTo(h.Stream.A.RtpPort, sentByA);
        var (atB, _) = await h.B.ReceiveAsync();
        var toA = RtpPackets.Rtp(500, ssrc: 77);
        h.B.SendTo(h.Stream.B.RtpPort, bSends.Protect(toA));
        var (atA, _) = await h.A.ReceiveAsync();

        Assert.NotEqual(sentByA, atB);
        AssertOk(toB, bRecv.Unprotect(atB));
        AssertOk(toA, aRecv.Unprotect(atA));
        await Eventually.True(() => h.Stream.GetStats(RelayDirection.BToA).Packets == 1, "B to A counted");
        Assert.Equal(sentByA.Length, h.Stream.GetStats(RelayDirection.AToB).Bytes);
    }

    [Fact]
    public async Task Relay_ForgedTag_DroppedAndCountedAndTheNextGenuinePacketRelays()
    {
        await using var h = new RelayHarness(Mode);
        var (aSends, bRecv) = (Key(1), Key(2));
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint, Decrypt = Key(1) });
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint, Encrypt = Key(2) });
        h.A.SendTo(h.Stream.A.RtpPort, aSends.Protect(RtpPackets.Rtp(1)));
        await h.B.ReceiveAsync();

        var forged = aSends.Protect(RtpPackets.Rtp(2));
        forged[^1] ^= 0x01;
        h.A.SendTo(h.Stream.A.RtpPort, forged);
        h.A.SendTo(h.Stream.A.RtpPort, aSends.Protect(RtpPackets.Rtp(3)));
        var (next, _) = await h.B.ReceiveAsync();

        var (result, plain) = bRecv.Unprotect(next);
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(3, RtpPackets.Sequence(plain));
        var stats = h.Stream.GetStats(RelayDirection.AToB);
        Assert.Equal((1, 0, 0), (stats.AuthenticationFailures, stats.Replayed, stats.Dropped));
        Assert.Equal(1, h.Dropped("auth-failed"));
    }

    [Fact]
    public async Task Relay_ForgedPacketBeforeAnyGenuineOne_DoesNotLatchItsSource()
    {
        await using var h = new RelayHarness(Mode);
        using var attacker = new UdpParty();
        var aSends = Key(1);
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint, Decrypt = Key(1) });
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint });

        attacker.SendTo(h.Stream.A.RtpPort, Key(9).Protect(RtpPackets.Rtp(1)));
        await Eventually.True(() => h.Stream.GetStats(RelayDirection.AToB).AuthenticationFailures == 1, "the forged packet refused");
        Assert.Null(h.Stream.A.LatchedRtp);
        h.A.SendTo(h.Stream.A.RtpPort, aSends.Protect(RtpPackets.Rtp(2)));
        var (atB, _) = await h.B.ReceiveAsync();

        Assert.Equal(RtpPackets.Rtp(2), atB);
        Assert.Equal(h.A.EndPoint, h.Stream.A.LatchedRtp);
    }

    [Fact]
    public async Task Relay_SamePacketTwice_SecondDroppedAsReplay()
    {
        await using var h = new RelayHarness(Mode);
        var aSends = Key(1);
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint, Decrypt = Key(1) });
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint });
        var first = aSends.Protect(RtpPackets.Rtp(1));

        h.A.SendTo(h.Stream.A.RtpPort, first);
        h.A.SendTo(h.Stream.A.RtpPort, first);
        h.A.SendTo(h.Stream.A.RtpPort, aSends.Protect(RtpPackets.Rtp(2)));
        var (one, _) = await h.B.ReceiveAsync();
        var (two, _) = await h.B.ReceiveAsync();

        Assert.Equal([1, 2], new[] { RtpPackets.Sequence(one), RtpPackets.Sequence(two) });
        var stats = h.Stream.GetStats(RelayDirection.AToB);
        Assert.Equal((0, 1, 0), (stats.AuthenticationFailures, stats.Replayed, stats.Dropped));
        Assert.Equal(1, h.Dropped("replayed"));
    }

    [Fact]
    public async Task Relay_Passthrough_SrtpBytesArriveUnchangedUnderTheSendersKey()
    {
        await using var h = new RelayHarness(Mode);
        var (aSends, bRecv) = (Key(1), Key(1));
        h.ConfigureBoth();

        var sent = aSends.Protect(RtpPackets.Rtp(1));
        h.A.SendTo(h.Stream.A.RtpPort, sent);
        var (atB, _) = await h.B.ReceiveAsync();

        Assert.Equal(sent, atB);
        AssertOk(RtpPackets.Rtp(1), bRecv.Unprotect(atB));
    }

    [Fact]
    public async Task Relay_SrtpLegBridgedToPlainLeg_DecryptsOneWayAndEncryptsTheOther()
    {
        await using var h = new RelayHarness(Mode);
        var (aSends, aRecv) = (Key(1), Key(2));
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint, Decrypt = Key(1), Encrypt = Key(2) });
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint });

        h.A.SendTo(h.Stream.A.RtpPort, aSends.Protect(RtpPackets.Rtp(1)));
        var (atB, _) = await h.B.ReceiveAsync();
        var plainFromB = RtpPackets.Rtp(700, ssrc: 5);
        h.B.SendTo(h.Stream.B.RtpPort, plainFromB);
        var (atA, _) = await h.A.ReceiveAsync();

        Assert.Equal(RtpPackets.Rtp(1), atB);
        Assert.Equal(plainFromB.Length + 10, atA.Length);
        AssertOk(plainFromB, aRecv.Unprotect(atA));
    }

    [Fact]
    public async Task Relay_SrtcpWithRtcpMuxOnLegA_IsRekeyedOnTheRtcpPaths()
    {
        await using var h = new RelayHarness(Mode);
        using var bRtcp = new UdpParty();
        var (aSends, aRecv, bSends, bRecv) = (Key(1), Key(2), Key(3), Key(4));
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint, RtcpMux = true, Decrypt = Key(1), Encrypt = Key(2) });
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint, RtcpTarget = bRtcp.EndPoint, Decrypt = Key(3), Encrypt = Key(4) });

        var report = SrtpTestPackets.RtcpSenderReport(ssrc: 11, marker: 1);
        h.A.SendTo(h.Stream.A.RtpPort, aSends.ProtectControl(report));
        var (atB, fromB) = await bRtcp.ReceiveAsync();
        var answer = SrtpTestPackets.RtcpSenderReport(ssrc: 22, marker: 2);
        bRtcp.SendTo(h.Stream.B.RtcpPort, bSends.ProtectControl(answer));
        var (atA, fromA) = await h.A.ReceiveAsync();

        Assert.Equal(h.Stream.B.RtcpPort, fromB.Port);
        AssertOk(report, bRecv.UnprotectControl(atB));
        Assert.Equal(h.Stream.A.RtpPort, fromA.Port);
        AssertOk(answer, aRecv.UnprotectControl(atA));
    }

    [Fact]
    public async Task Relay_NewSourceWithTheKeyAfterTwoSilentSeconds_TakesOverTheLatch()
    {
        await using var h = new RelayHarness(Mode);
        using var rebound = new UdpParty();
        using var attacker = new UdpParty();
        var aSends = Key(1);
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint, Decrypt = Key(1) });
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint });
        h.A.SendTo(h.Stream.A.RtpPort, aSends.Protect(RtpPackets.Rtp(1)));
        await h.B.ReceiveAsync();

        // The same sender behind a NAT that moved it to another port: too early, then silent long enough.
        h.FakeTime.Advance(RelaySocket.RelatchAfter - TimeSpan.FromMilliseconds(1));
        rebound.SendTo(h.Stream.A.RtpPort, aSends.Protect(RtpPackets.Rtp(2)));
        await Eventually.True(() => h.Dropped("unlatched-source") == 1, "the early packet dropped");
        h.FakeTime.Advance(TimeSpan.FromMilliseconds(1));
        attacker.SendTo(h.Stream.A.RtpPort, Key(9).Protect(RtpPackets.Rtp(3)));
        await Eventually.True(() => h.Dropped("auth-failed") == 1, "the attacker's packet refused");
        Assert.Equal(h.A.EndPoint, h.Stream.A.LatchedRtp);
        rebound.SendTo(h.Stream.A.RtpPort, aSends.Protect(RtpPackets.Rtp(4)));
        var (atB, _) = await h.B.ReceiveAsync();
        h.B.SendTo(h.Stream.B.RtpPort, RtpPackets.Rtp(900));
        var (reply, _) = await rebound.ReceiveAsync();

        Assert.Equal(4, RtpPackets.Sequence(atB));
        Assert.Equal(rebound.EndPoint, h.Stream.A.LatchedRtp);
        Assert.Equal(900, RtpPackets.Sequence(reply));
        Assert.Equal(0, h.A.Pending);
    }

    public void Dispose()
    {
        _contexts.ForEach(c => c.Dispose());
        GC.SuppressFinalize(this);
    }

    private static void AssertOk(byte[] expected, (SrtpResult Result, byte[] Plain) unprotected)
    {
        Assert.Equal(SrtpResult.Ok, unprotected.Result);
        Assert.Equal(expected, unprotected.Plain);
    }

    // A fresh context for key number n: AES_CM_128_HMAC_SHA1_80 with key bytes n and salt bytes n + 100.
    private SrtpContext Key(byte n)
    {
        var suite = SrtpSuite.AesCm128HmacSha1_80;
        var context = SrtpContext.Create(suite, Enumerable.Repeat(n, suite.KeyLength).ToArray(), Enumerable.Repeat((byte)(n + 100), suite.SaltLength).ToArray());
        _contexts.Add(context);
        return context;
    }

    public sealed class Epoll : RelayStreamSrtpTests
    {
        private protected override RelayReceiveMode Mode => RelayReceiveMode.Epoll;
    }

    public sealed class Async : RelayStreamSrtpTests
    {
        private protected override RelayReceiveMode Mode => RelayReceiveMode.Async;
    }
}
