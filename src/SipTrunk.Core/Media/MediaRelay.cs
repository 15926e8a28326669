using Microsoft.Extensions.Logging;
using SipTrunk.Core.Diagnostics;

namespace SipTrunk.Core.Media;

/// <summary>
/// The UDP relay engine: hands out <see cref="RelayStream"/>s whose sockets come from <c>Media:PortRange</c>, and runs
/// their receive loops. Thread-safe.
/// </summary>
public sealed class MediaRelay : IAsyncDisposable
{
    // STUB: the relay helper owns this type's implementation.
    public MediaRelay(MediaRelaySettings settings, SipTrunkMetrics metrics, TimeProvider time, ILogger<MediaRelay> logger)
    {
        Settings = settings;
        _ = metrics;
        Time = time;
        _ = logger;
    }

    /// <summary>Where sockets bind.</summary>
    public MediaRelaySettings Settings { get; }

    /// <summary>The clock for <see cref="RelayStream.LastPacketTimestamp"/>.</summary>
    public TimeProvider Time { get; }

    /// <summary>Ports now bound by live streams.</summary>
    public int PortsInUse => Settings.PortMin < 0 ? 1 : 0;

    /// <summary>
    /// Allocates a stream: two even/odd port pairs bound on <see cref="MediaRelaySettings.BindAddress"/>, receive loops
    /// started, both legs without a target until configured.
    /// </summary>
    /// <exception cref="MediaPortsExhaustedException">No free pair is left in the range.</exception>
    public RelayStream CreateStream() => throw new NotImplementedException();

    /// <summary>Closes every stream.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
