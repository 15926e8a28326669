using Microsoft.Extensions.Logging;
using SipTrunk.Core.Diagnostics;

namespace SipTrunk.Core.Media;

/// <summary>
/// The UDP relay engine: hands out <see cref="RelayStream"/>s whose sockets come from <c>Media:PortRange</c>, and reads
/// them (epoll threads on Linux, one async loop per socket elsewhere; <see cref="MediaRelaySettings.ReceiveMode"/>).
/// Thread-safe.
/// </summary>
public sealed partial class MediaRelay : IAsyncDisposable
{
    private readonly MediaPortPool _pool;
    private readonly RelayRuntime _runtime;
    private readonly ILogger<MediaRelay> _logger;
    private readonly Lock _lock = new();

    // Every stream whose loops still run: open ones, and closed ones whose loops have not noticed yet.
    private readonly HashSet<RelayStream> _running = [];
    private bool _disposed;

    /// <summary>Creates the relay; nothing is bound until <see cref="CreateStream"/>.</summary>
    public MediaRelay(MediaRelaySettings settings, SipTrunkMetrics metrics, TimeProvider time, ILogger<MediaRelay> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        Settings = settings;
        Time = time;
        _logger = logger;
        _pool = new MediaPortPool(settings);
        var engine = CreateEngine(settings, logger);
        ReceiveMode = engine is null ? RelayReceiveMode.Async : RelayReceiveMode.Epoll;
        _runtime = new RelayRuntime(time, metrics, logger, new RelayBufferPool(RelaySocket.BufferBytes), engine);
    }

    /// <summary>Where sockets bind.</summary>
    public MediaRelaySettings Settings { get; }

    /// <summary>The clock for <see cref="RelayStream.LastPacketTimestamp"/>.</summary>
    public TimeProvider Time { get; }

    /// <summary>Ports now bound by live streams.</summary>
    public int PortsInUse => _pool.PortsInUse;

    /// <summary>How sockets are read: <see cref="RelayReceiveMode.Epoll"/> or <see cref="RelayReceiveMode.Async"/>.</summary>
    public RelayReceiveMode ReceiveMode { get; }

    /// <summary>Port pairs in <c>Media:PortRange</c>; each stream takes two.</summary>
    public int PortPairCapacity => _pool.Capacity;

    /// <summary>
    /// Allocates a stream: two even/odd port pairs bound on <see cref="MediaRelaySettings.BindAddress"/>, receive loops
    /// started, both legs without a target until configured.
    /// </summary>
    /// <exception cref="MediaPortsExhaustedException">No free pair is left in the range.</exception>
    public RelayStream CreateStream()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        var a = _pool.Allocate();
        MediaPortPair b;
        try
        {
            b = _pool.Allocate();
        }
        catch (MediaPortsExhaustedException)
        {
            Release(a);
            LogExhausted(PortsInUse);
            throw;
        }
        catch
        {
            Release(a);
            throw;
        }

        var stream = new RelayStream(this, a, b, _runtime);
        bool started;
        lock (_lock)
        {
            // DisposeAsync waits for the streams it finds here; one started after it looked would run on unowned.
            started = !_disposed;
            if (started)
            {
                _running.Add(stream);
                stream.Start();
            }
        }

        if (!started)
        {
            stream.Dispose();
            throw new ObjectDisposedException(nameof(MediaRelay));
        }

        LogStreamCreated(a.RtpPort, b.RtpPort);
        return stream;
    }

    /// <summary>Closes every stream and waits for their receive loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        RelayStream[] streams;
        lock (_lock)
        {
            _disposed = true;
            streams = [.. _running];
        }

        foreach (var stream in streams)
        {
            stream.Dispose();
        }

        await Task.WhenAll(streams.Select(s => s.Completion));
        if (_runtime.Engine is { } engine)
        {
            await engine.StopAsync();
        }
    }

    /// <summary>A stream's sockets are closed: its ports go back (its loops may still be finishing).</summary>
    internal void OnStreamClosed(RelayStream stream)
    {
        _pool.Release(stream.A.RtpPort);
        _pool.Release(stream.B.RtpPort);
        LogStreamClosed(stream.A.RtpPort, stream.B.RtpPort);
    }

    /// <summary>A stream's loops have ended.</summary>
    internal void OnStreamStopped(RelayStream stream)
    {
        lock (_lock)
        {
            _running.Remove(stream);
        }
    }

    private static RelayEpollEngine? CreateEngine(MediaRelaySettings settings, ILogger logger)
    {
        var mode = settings.ReceiveMode;
        if (mode == RelayReceiveMode.Async || (mode == RelayReceiveMode.Auto && !LinuxEpoll.IsSupported))
        {
            return null;
        }

        if (!LinuxEpoll.IsSupported)
        {
            throw new PlatformNotSupportedException("Media relay receive mode Epoll needs Linux on x64 or arm64.");
        }

        var threads = settings.ReceiveThreads > 0 ? settings.ReceiveThreads : Math.Min(Environment.ProcessorCount, 4);
        return new RelayEpollEngine(threads, settings.BindAddress.AddressFamily, logger);
    }

    private void Release(MediaPortPair pair)
    {
        pair.Rtp.Dispose();
        pair.Rtcp.Dispose();
        _pool.Release(pair.RtpPort);
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Debug, Message = "Relay stream opened on ports {PortA} and {PortB}")]
    private partial void LogStreamCreated(int portA, int portB);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Relay stream on ports {PortA} and {PortB} closed")]
    private partial void LogStreamClosed(int portA, int portB);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "No media port pair is left in Media:PortRange ({PortsInUse} ports in use)")]
    private partial void LogExhausted(int portsInUse);
}
