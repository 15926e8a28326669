using Microsoft.Extensions.Logging;
using SipTrunk.Core.Diagnostics;

namespace SipTrunk.Core.Media;

/// <summary>What every relay socket of one <see cref="MediaRelay"/> shares: clock, metrics, log, buffers.</summary>
internal sealed class RelayRuntime
{
    public RelayRuntime(TimeProvider time, SipTrunkMetrics metrics, ILogger logger, RelayBufferPool buffers)
    {
        Time = time;
        Frequency = time.TimestampFrequency;
        Metrics = metrics;
        Logger = logger;
        Buffers = buffers;
    }

    public TimeProvider Time { get; }

    /// <summary><see cref="TimeProvider.TimestampFrequency"/>, read once.</summary>
    public long Frequency { get; }

    public SipTrunkMetrics Metrics { get; }

    public ILogger Logger { get; }

    public RelayBufferPool Buffers { get; }
}
