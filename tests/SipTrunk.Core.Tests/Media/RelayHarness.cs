using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Media;

namespace SipTrunk.Core.Tests.Media;

/// <summary>A relay on its own port block with one stream between party A and party B, both on 127.0.0.1.</summary>
internal sealed class RelayHarness : IAsyncDisposable
{
    public RelayHarness(RelayReceiveMode mode, TimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider();
        Relay = new MediaRelay(RelayPorts.Take(8) with { ReceiveMode = mode }, Metrics, Time, NullLogger<MediaRelay>.Instance);
        Stream = Relay.CreateStream();
    }

    public SipTrunkMetrics Metrics { get; } = new();

    public TimeProvider Time { get; }

    public FakeTimeProvider FakeTime => (FakeTimeProvider)Time;

    public MediaRelay Relay { get; }

    public RelayStream Stream { get; }

    public UdpParty A { get; } = new();

    public UdpParty B { get; } = new();

    /// <summary>Points both legs at their party's socket (RTP; RTCP at the same socket unless given).</summary>
    public void ConfigureBoth()
    {
        Stream.A.Configure(new RelayLegMedia { RtpTarget = A.EndPoint });
        Stream.B.Configure(new RelayLegMedia { RtpTarget = B.EndPoint });
    }

    public long Dropped(string reason) => Metrics.MediaPacketsDropped.Get(reason);

    public async ValueTask DisposeAsync()
    {
        await Relay.DisposeAsync();
        A.Dispose();
        B.Dispose();
    }
}
