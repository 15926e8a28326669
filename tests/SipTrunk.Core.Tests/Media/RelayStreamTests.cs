using System.Net;
using SipTrunk.Core.Media;

namespace SipTrunk.Core.Tests.Media;

/// <summary>Every case runs against both ways of reading sockets (nested classes <c>Epoll</c> and <c>Async</c>).</summary>
public abstract class RelayStreamTests
{
    private protected abstract RelayReceiveMode Mode { get; }

    private protected RelayHarness NewHarness() => new(Mode);

    [Fact]
    public async Task Relay_PlainRtpBothWays_ForwardsBytesUnchangedOutOfTheOtherLeg()
    {
        await using var h = NewHarness();
        h.ConfigureBoth();

        var toB = RtpPackets.Rtp(1);
        h.A.SendTo(h.Stream.A.RtpPort, toB);
        var (atB, fromB) = await h.B.ReceiveAsync();
        var toA = RtpPackets.Rtp(7, ssrc: 99, payloadLength: 20);
        h.B.SendTo(h.Stream.B.RtpPort, toA);
        var (atA, fromA) = await h.A.ReceiveAsync();

        Assert.Equal(toB, atB);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, h.Stream.B.RtpPort), fromB);
        Assert.Equal(toA, atA);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, h.Stream.A.RtpPort), fromA);
        await Eventually.True(() => h.Metrics.MediaPackets.Get("out") == 2, "two packets counted out");
        Assert.Equal(2, h.Metrics.MediaPackets.Get("in"));
        var aToB = h.Stream.GetStats(RelayDirection.AToB);
        var bToA = h.Stream.GetStats(RelayDirection.BToA);
        Assert.Equal((1, 172, 0), (aToB.Packets, aToB.Bytes, aToB.Dropped));
        Assert.Equal((1, 32, 0), (bToA.Packets, bToA.Bytes, bToA.Dropped));
        Assert.Equal(h.A.EndPoint, h.Stream.A.LatchedRtp);
        Assert.Equal(h.B.EndPoint, h.Stream.B.LatchedRtp);
    }

    [Fact]
    public async Task Relay_RtcpOnItsOwnPort_GoesOutOfTheOtherLegsRtcpPortToItsRtcpTarget()
    {
        await using var h = NewHarness();
        using var aRtcp = new UdpParty();
        using var bRtcp = new UdpParty();
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint, RtcpTarget = aRtcp.EndPoint });
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint, RtcpTarget = bRtcp.EndPoint });

        var report = RtpPackets.Rtcp(ssrc: 1);
        aRtcp.SendTo(h.Stream.A.RtcpPort, report);
        var (atB, fromB) = await bRtcp.ReceiveAsync();
        var answer = RtpPackets.Rtcp(ssrc: 2);
        bRtcp.SendTo(h.Stream.B.RtcpPort, answer);
        var (atA, fromA) = await aRtcp.ReceiveAsync();

        Assert.Equal(report, atB);
        Assert.Equal(h.Stream.B.RtcpPort, fromB.Port);
        Assert.Equal(answer, atA);
        Assert.Equal(h.Stream.A.RtcpPort, fromA.Port);
        Assert.Equal(aRtcp.EndPoint, h.Stream.A.LatchedRtcp);
        Assert.Null(h.Stream.A.LatchedRtp);
        Assert.Equal(0, h.A.Pending + h.B.Pending);
    }

    [Fact]
    public async Task Relay_RtcpMuxOnLegAOnly_MovesRtcpBetweenARtpPortAndBRtcpPort()
    {
        await using var h = NewHarness();
        using var bRtcp = new UdpParty();
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint, RtcpMux = true });
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint, RtcpTarget = bRtcp.EndPoint });

        // RFC 5761 §4: on the muxed port, packet type 201 is RTCP; payload type 0 is RTP.
        var report = RtpPackets.Rtcp(ssrc: 1);
        h.A.SendTo(h.Stream.A.RtpPort, report);
        var (rtcpAtB, rtcpFromB) = await bRtcp.ReceiveAsync();
        var rtp = RtpPackets.Rtp(1);
        h.A.SendTo(h.Stream.A.RtpPort, rtp);
        var (rtpAtB, rtpFromB) = await h.B.ReceiveAsync();
        var answer = RtpPackets.Rtcp(ssrc: 2);
        bRtcp.SendTo(h.Stream.B.RtcpPort, answer);
        var (rtcpAtA, rtcpFromA) = await h.A.ReceiveAsync();

        Assert.Equal(report, rtcpAtB);
        Assert.Equal(h.Stream.B.RtcpPort, rtcpFromB.Port);
        Assert.Equal(rtp, rtpAtB);
        Assert.Equal(h.Stream.B.RtpPort, rtpFromB.Port);
        Assert.Equal(answer, rtcpAtA);
        Assert.Equal(h.Stream.A.RtpPort, rtcpFromA.Port);
        Assert.Equal(0, h.B.Pending + bRtcp.Pending);
    }

    [Fact]
    public async Task Relay_RtcpPacketTypeOnRtpPortWithoutMux_IsRelayedAsRtp()
    {
        await using var h = NewHarness();
        using var bRtcp = new UdpParty();
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint });
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint, RtcpTarget = bRtcp.EndPoint });

        var packet = RtpPackets.Rtp(1);
        packet[1] = 200;
        h.A.SendTo(h.Stream.A.RtpPort, packet);
        var (at, from) = await h.B.ReceiveAsync();

        Assert.Equal(packet, at);
        Assert.Equal(h.Stream.B.RtpPort, from.Port);
        Assert.Equal(0, bRtcp.Pending);
    }

    [Fact]
    public async Task Relay_SecondSourceAfterLatching_IsDroppedAndRepliesGoToTheLatchedSource()
    {
        await using var h = NewHarness();
        using var sdpAddress = new UdpParty();
        using var intruder = new UdpParty();
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = sdpAddress.EndPoint });
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint });

        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(1));
        await h.B.ReceiveAsync();
        intruder.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(2));
        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(3));
        var (next, _) = await h.B.ReceiveAsync();
        h.B.SendTo(h.Stream.B.RtpPort, RtpPackets.Rtp(50));
        var (reply, replyFrom) = await h.A.ReceiveAsync();

        Assert.Equal(3, RtpPackets.Sequence(next));
        Assert.Equal(h.A.EndPoint, h.Stream.A.LatchedRtp);
        Assert.Equal(1, h.Dropped("unlatched-source"));
        Assert.Equal(1, h.Stream.GetStats(RelayDirection.AToB).Dropped);
        Assert.Equal(50, RtpPackets.Sequence(reply));
        Assert.Equal(h.Stream.A.RtpPort, replyFrom.Port);
        Assert.Equal(0, sdpAddress.Pending);
    }

    [Fact]
    public async Task Configure_NewTargetAddress_ResetsTheLatch()
    {
        await using var h = NewHarness();
        using var moved = new UdpParty();
        h.ConfigureBoth();
        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(1));
        await h.B.ReceiveAsync();

        // Same address, another clock rate: the latch stays.
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint, ClockRate = 48000 });
        Assert.Equal(h.A.EndPoint, h.Stream.A.LatchedRtp);

        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = moved.EndPoint });
        Assert.Null(h.Stream.A.LatchedRtp);
        moved.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(2));
        var (fromMoved, _) = await h.B.ReceiveAsync();
        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(3));
        moved.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(4));
        var (next, _) = await h.B.ReceiveAsync();

        Assert.Equal(2, RtpPackets.Sequence(fromMoved));
        Assert.Equal(moved.EndPoint, h.Stream.A.LatchedRtp);
        Assert.Equal(4, RtpPackets.Sequence(next));
        Assert.Equal(1, h.Dropped("unlatched-source"));
    }

    [Fact]
    public async Task Relay_PlainRtpFromANewSourceAfterSilence_StillDropped()
    {
        await using var h = NewHarness();
        using var other = new UdpParty();
        h.ConfigureBoth();
        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(1));
        await h.B.ReceiveAsync();

        // Re-latching needs SRTP authentication: a plain packet proves nothing about who sent it.
        h.FakeTime.Advance(TimeSpan.FromSeconds(10));
        other.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(2));
        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(3));
        var (next, _) = await h.B.ReceiveAsync();

        Assert.Equal(3, RtpPackets.Sequence(next));
        Assert.Equal(h.A.EndPoint, h.Stream.A.LatchedRtp);
        Assert.Equal(1, h.Dropped("unlatched-source"));
    }

    [Fact]
    public async Task Relay_OtherLegInactive_DropsUntilActiveAgain()
    {
        await using var h = NewHarness();
        h.ConfigureBoth();
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint, Active = false });

        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(1));
        await Eventually.True(() => h.Dropped("inactive") == 1, "dropped while B is inactive");
        h.Stream.B.Configure(new RelayLegMedia { RtpTarget = h.B.EndPoint });
        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(2));
        var (next, _) = await h.B.ReceiveAsync();

        Assert.Equal(2, RtpPackets.Sequence(next));
        Assert.Equal(1, h.Stream.GetStats(RelayDirection.AToB).Dropped);
        Assert.Equal(0, h.B.Pending);
    }

    [Fact]
    public async Task Relay_OwnLegInactive_DropsWithoutLatching()
    {
        await using var h = NewHarness();
        h.ConfigureBoth();
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint, Active = false });

        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(1));
        h.B.SendTo(h.Stream.B.RtpPort, RtpPackets.Rtp(2));
        await Eventually.True(() => h.Dropped("inactive") == 2, "both packets dropped as inactive");

        Assert.Null(h.Stream.A.LatchedRtp);
        Assert.Null(h.Stream.B.LatchedRtp);
        Assert.Equal(0, h.A.Pending + h.B.Pending);
        Assert.Equal(0, h.Metrics.MediaPackets.Get("out"));
    }

    [Fact]
    public async Task Relay_OtherLegWithoutTarget_DropsUntilItsPartyIsLatched()
    {
        await using var h = NewHarness();
        h.Stream.A.Configure(new RelayLegMedia { RtpTarget = h.A.EndPoint });

        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(1));
        await Eventually.True(() => h.Dropped("no-target") == 1, "dropped for want of a target");
        h.B.SendTo(h.Stream.B.RtpPort, RtpPackets.Rtp(100));
        var (atA, _) = await h.A.ReceiveAsync();
        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(2));
        var (atB, _) = await h.B.ReceiveAsync();

        Assert.Equal(100, RtpPackets.Sequence(atA));
        Assert.Equal(2, RtpPackets.Sequence(atB));
        Assert.Equal(1, h.Stream.GetStats(RelayDirection.AToB).Dropped);
        Assert.Equal(h.B.EndPoint, h.Stream.B.LatchedRtp);
    }

    [Fact]
    public async Task Relay_MalformedPackets_DroppedWithoutLatching()
    {
        await using var h = NewHarness();
        using var other = new UdpParty();
        h.ConfigureBoth();
        var versionOne = RtpPackets.Rtp(1);
        versionOne[0] = 0x40;

        other.SendTo(h.Stream.A.RtpPort, new byte[11]);
        other.SendTo(h.Stream.A.RtpPort, versionOne);
        other.SendTo(h.Stream.A.RtcpPort, new byte[7]);
        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(2));
        var (next, _) = await h.B.ReceiveAsync();

        Assert.Equal(2, RtpPackets.Sequence(next));
        Assert.Equal(h.A.EndPoint, h.Stream.A.LatchedRtp);
        await Eventually.True(() => h.Dropped("malformed") == 3, "three malformed packets");
    }

    [Fact]
    public async Task Relay_DatagramLongerThanTheBuffer_DroppedAsMalformed()
    {
        await using var h = NewHarness();
        h.ConfigureBoth();

        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(1, payloadLength: 3000));
        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(2, payloadLength: 1400));
        var (next, _) = await h.B.ReceiveAsync();

        Assert.Equal(2, RtpPackets.Sequence(next));
        Assert.Equal(1412, next.Length);
        await Eventually.True(() => h.Dropped("malformed") == 1, "the long datagram counted as malformed");
        Assert.Equal(1, h.Stream.GetStats(RelayDirection.AToB).Dropped);
    }

    [Fact]
    public async Task GetStats_SequenceGap_CountsTheLostPacket()
    {
        await using var h = NewHarness();
        h.ConfigureBoth();

        ushort[] sent = [1, 2, 3, 4, 5, 7, 8, 9, 10];
        foreach (var seq in sent)
        {
            h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(seq, timestamp: seq * 160u));
            await h.B.ReceiveAsync();
        }

        var stats = h.Stream.GetStats(RelayDirection.AToB);
        Assert.Equal(1, stats.Lost);
        Assert.Equal(0, h.Stream.GetStats(RelayDirection.BToA).Lost);
    }

    [Fact]
    public async Task GetStats_SsrcChange_StartsANewSequenceWithoutCountingTheJumpAsLoss()
    {
        await using var h = NewHarness();
        h.ConfigureBoth();
        (ushort Seq, uint Ssrc)[] sent = [(100, 1), (101, 1), (102, 1), (40000, 2), (40001, 2), (40002, 2), (40004, 2)];

        foreach (var (seq, ssrc) in sent)
        {
            h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(seq, ssrc: ssrc));
            await h.B.ReceiveAsync();
        }

        Assert.Equal(1, h.Stream.GetStats(RelayDirection.AToB).Lost);
    }

    [Theory]
    [InlineData(new[] { 20, 20, 20 }, 0.0)]

    // RFC 3550 A.8 by hand: transit differences |20-20|, |30-20|, |10-20| ms = 0, 80, 80 timestamp units at 8 kHz;
    // J = 0, then 80/16 = 5, then 5 + (80 - 5)/16 = 9.6875 units = 1.2109375 ms.
    [InlineData(new[] { 20, 30, 10 }, 1.2109375)]
    public async Task GetStats_ArrivalSpacing_GivesRfc3550Jitter(int[] gapsMs, double expectedMs)
    {
        await using var h = NewHarness();
        h.ConfigureBoth();

        h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp(1, timestamp: 0));
        await h.B.ReceiveAsync();
        for (var i = 0; i < gapsMs.Length; i++)
        {
            h.FakeTime.Advance(TimeSpan.FromMilliseconds(gapsMs[i]));
            h.A.SendTo(h.Stream.A.RtpPort, RtpPackets.Rtp((ushort)(i + 2), timestamp: (uint)(i + 1) * 160));
            await h.B.ReceiveAsync();
        }

        Assert.Equal(expectedMs, h.Stream.GetStats(RelayDirection.AToB).JitterMs, 9);
        await Eventually.True(() => h.Stream.LastPacketTimestamp == h.FakeTime.GetTimestamp(), "last packet time is the fake clock's");
    }

    [Fact]
    public async Task LastPacketTimestamp_BeforeAnyPacket_Zero()
    {
        await using var h = NewHarness();

        Assert.Equal(0, h.Stream.LastPacketTimestamp);
    }

    [Fact]
    public async Task Dispose_Twice_ReturnsThePortsOnce()
    {
        await using var h = NewHarness();
        var ports = new[] { h.Stream.A.RtpPort, h.Stream.A.RtcpPort, h.Stream.B.RtpPort, h.Stream.B.RtcpPort };
        Assert.Equal(4, h.Relay.PortsInUse);

        h.Stream.Dispose();
        h.Stream.Dispose();

        Assert.True(h.Stream.IsDisposed);
        Assert.Equal(0, h.Relay.PortsInUse);
        foreach (var port in ports)
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        }
    }

    public sealed class Epoll : RelayStreamTests
    {
        private protected override RelayReceiveMode Mode => RelayReceiveMode.Epoll;
    }

    public sealed class Async : RelayStreamTests
    {
        private protected override RelayReceiveMode Mode => RelayReceiveMode.Async;
    }
}
