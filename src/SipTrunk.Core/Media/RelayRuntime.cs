using Microsoft.Extensions.Logging;
using SipTrunk.Core.Diagnostics;

namespace SipTrunk.Core.Media;

/// <summary>What every relay socket of one <see cref="MediaRelay"/> shares: clock, metrics, log, buffers, epoll threads.</summary>
internal sealed class RelayRuntime
{
    private long _lastFailureLog = long.MinValue;

    public RelayRuntime(TimeProvider time, SipTrunkMetrics metrics, ILogger logger, RelayBufferPool buffers, RelayEpollEngine? engine)
    {
        Engine = engine;
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

    /// <summary>The epoll threads that read every socket, or <see langword="null"/>: one async loop per socket.</summary>
    public RelayEpollEngine? Engine { get; }

    /// <summary>True at most once per second, across all sockets: a relay bug must not flood the log.</summary>
    public bool ShouldLogFailure()
    {
        var now = Time.GetTimestamp();
        var last = Volatile.Read(ref _lastFailureLog);
        return (last == long.MinValue || now - last >= Frequency) && Interlocked.CompareExchange(ref _lastFailureLog, now, last) == last;
    }
}
