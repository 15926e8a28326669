using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Media;

namespace SipTrunk.Core.Tests.Media;

/// <summary>Every case runs against both ways of reading sockets (nested classes <c>Epoll</c> and <c>Async</c>).</summary>
public abstract class MediaRelayTests
{
    private protected abstract RelayReceiveMode Mode { get; }

    [Fact]
    public async Task CreateStream_UntilTheRangeIsUsedUp_ThrowsMediaPortsExhausted()
    {
        var settings = RelayPorts.Take(8);
        await using var relay = NewRelay(settings);

        var first = relay.CreateStream();
        var second = relay.CreateStream();

        Assert.Equal(8, relay.PortsInUse);
        Assert.Throws<MediaPortsExhaustedException>(relay.CreateStream);
        Assert.Equal(8, relay.PortsInUse);
        int[] ports = [first.A.RtpPort, first.B.RtpPort, second.A.RtpPort, second.B.RtpPort];
        Assert.Equal([settings.PortMin, settings.PortMin + 2, settings.PortMin + 4, settings.PortMin + 6], ports.Order());
    }

    [Fact]
    public async Task CreateStream_OnlyOnePairLeft_ReleasesItAndThrows()
    {
        await using var relay = NewRelay(RelayPorts.Take(6));
        var stream = relay.CreateStream();

        Assert.Throws<MediaPortsExhaustedException>(relay.CreateStream);

        Assert.Equal(4, relay.PortsInUse);
        stream.Dispose();
        relay.CreateStream();
        Assert.Equal(4, relay.PortsInUse);
    }

    [Fact]
    public async Task CreateStream_OddRangeBounds_UsesEvenRtpPortsWithTheirOddRtcpPortInside()
    {
        var block = RelayPorts.Take(10);
        await using var relay = NewRelay(block with { PortMin = block.PortMin + 1, PortMax = block.PortMin + 8 });

        var stream = relay.CreateStream();

        Assert.Equal(3, relay.PortPairCapacity);
        Assert.Equal(block.PortMin + 2, stream.A.RtpPort);
        Assert.Equal(block.PortMin + 3, stream.A.RtcpPort);
        Assert.Equal(block.PortMin + 4, stream.B.RtpPort);
    }

    [Fact]
    public async Task Dispose_Stream_ReturnsItsPortsForTheNextStream()
    {
        await using var relay = NewRelay(RelayPorts.Take(8));
        var first = relay.CreateStream();
        var second = relay.CreateStream();

        first.Dispose();

        Assert.Equal(4, relay.PortsInUse);
        var third = relay.CreateStream();
        Assert.Equal([first.A.RtpPort, first.B.RtpPort], new[] { third.A.RtpPort, third.B.RtpPort });
        second.Dispose();
        third.Dispose();
        Assert.Equal(0, relay.PortsInUse);
    }

    [Fact]
    public async Task CreateStream_AfterReleases_PrefersThePairReleasedLongestAgo()
    {
        var settings = RelayPorts.Take(12);
        await using var relay = NewRelay(settings);
        var first = relay.CreateStream();

        first.Dispose();
        var second = relay.CreateStream();
        second.Dispose();
        var third = relay.CreateStream();

        // Pairs never handed out count as released at start-up; each released pair waits behind them.
        Assert.Equal((settings.PortMin, settings.PortMin + 2), (first.A.RtpPort, first.B.RtpPort));
        Assert.Equal((settings.PortMin + 4, settings.PortMin + 6), (second.A.RtpPort, second.B.RtpPort));
        Assert.Equal((settings.PortMin + 8, settings.PortMin + 10), (third.A.RtpPort, third.B.RtpPort));
        third.Dispose();
        var fourth = relay.CreateStream();
        Assert.Equal((settings.PortMin, settings.PortMin + 2), (fourth.A.RtpPort, fourth.B.RtpPort));
    }

    [Fact]
    public async Task CreateStream_PortHeldByAnotherSocket_SkipsThatPair()
    {
        var settings = RelayPorts.Take(8);
        await using var relay = NewRelay(settings);
        var p = settings.PortMin;
        using (var foreign = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            foreign.Bind(new IPEndPoint(IPAddress.Loopback, p + 1));

            var stream = relay.CreateStream();
            Assert.Equal((p + 2, p + 4), (stream.A.RtpPort, stream.B.RtpPort));
            Assert.Equal(4, relay.PortsInUse);
            Assert.Throws<MediaPortsExhaustedException>(relay.CreateStream);
            Assert.Equal(4, relay.PortsInUse);
        }

        var after = relay.CreateStream();
        Assert.Equal(new[] { p, p + 6 }, new[] { after.A.RtpPort, after.B.RtpPort }.Order());
        Assert.Equal(8, relay.PortsInUse);
    }

    [Fact]
    public async Task CreateStream_ManyCyclesFromSeveralThreads_LeavesNoPortInUse()
    {
        await using var relay = NewRelay(RelayPorts.Take(16));
        using var party = new UdpParty();

        async Task Cycle(int worker)
        {
            for (var i = 0; i < 150; i++)
            {
                using var stream = relay.CreateStream();
                stream.A.Configure(new RelayLegMedia { RtpTarget = party.EndPoint });
                stream.B.Configure(new RelayLegMedia { RtpTarget = party.EndPoint });
                if (i % 10 == worker)
                {
                    party.SendTo(stream.A.RtpPort, RtpPackets.Rtp((ushort)i));
                }

                await Task.Yield();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 3).Select(w => Task.Run(() => Cycle(w))));

        Assert.Equal(0, relay.PortsInUse);
    }

    [Fact]
    public async Task DisposeAsync_ClosesEveryStreamAndRefusesNewOnes()
    {
        var relay = NewRelay(RelayPorts.Take(8));
        var first = relay.CreateStream();
        var second = relay.CreateStream();

        await relay.DisposeAsync();

        Assert.True(first.IsDisposed);
        Assert.True(second.IsDisposed);
        Assert.Equal(0, relay.PortsInUse);
        Assert.True(first.Completion.IsCompletedSuccessfully);
        Assert.True(second.Completion.IsCompletedSuccessfully);
        Assert.Throws<ObjectDisposedException>(relay.CreateStream);
    }

    [Fact]
    public void Constructor_RangeWithoutAPair_Throws()
    {
        var settings = new MediaRelaySettings { BindAddress = IPAddress.Loopback, PortMin = 30001, PortMax = 30002 };

        Assert.Throws<ArgumentException>(() => NewRelay(settings));
    }

    private MediaRelay NewRelay(MediaRelaySettings settings) =>
        new(settings with { ReceiveMode = Mode }, new SipTrunkMetrics(), TimeProvider.System, NullLogger<MediaRelay>.Instance);

    public sealed class Epoll : MediaRelayTests
    {
        private protected override RelayReceiveMode Mode => RelayReceiveMode.Epoll;

        [Fact]
        public async Task CreateStream_SocketsSpreadOverSeveralEpollThreads_EachStreamRelaysBothWays()
        {
            var settings = RelayPorts.Take(12) with { ReceiveMode = RelayReceiveMode.Epoll, ReceiveThreads = 3 };
            await using var relay = new MediaRelay(settings, new SipTrunkMetrics(), TimeProvider.System, NullLogger<MediaRelay>.Instance);
            using var a = new UdpParty();
            using var b = new UdpParty();

            Assert.Equal(RelayReceiveMode.Epoll, relay.ReceiveMode);
            for (var i = 0; i < 3; i++)
            {
                // Twelve sockets over three threads: every stream's RTP sockets sit on different threads in turn.
                var stream = relay.CreateStream();
                stream.A.Configure(new RelayLegMedia { RtpTarget = a.EndPoint });
                stream.B.Configure(new RelayLegMedia { RtpTarget = b.EndPoint });
                a.SendTo(stream.A.RtpPort, RtpPackets.Rtp((ushort)i));
                var (atB, fromB) = await b.ReceiveAsync();
                b.SendTo(stream.B.RtpPort, RtpPackets.Rtp((ushort)(100 + i)));
                var (atA, fromA) = await a.ReceiveAsync();

                Assert.Equal((i, stream.B.RtpPort), (RtpPackets.Sequence(atB), fromB.Port));
                Assert.Equal((100 + i, stream.A.RtpPort), (RtpPackets.Sequence(atA), fromA.Port));
            }
        }
    }

    public sealed class Async : MediaRelayTests
    {
        private protected override RelayReceiveMode Mode => RelayReceiveMode.Async;
    }
}
