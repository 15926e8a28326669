namespace SipTrunk.Core.Media;

/// <summary>
/// One relayed media stream (one <c>m=</c> line): leg A faces one party, leg B the other. Packets from A's party are
/// unprotected with A's <see cref="RelayLegMedia.Decrypt"/>, protected with B's <see cref="RelayLegMedia.Encrypt"/>
/// and sent from B's socket to B's party (its latched address, else its SDP address); and the reverse.
/// </summary>
public sealed class RelayStream : IDisposable
{
    private readonly MediaRelay _owner;
    private readonly RelayEpollEngine? _engine;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    internal RelayStream(MediaRelay owner, MediaPortPair a, MediaPortPair b, RelayRuntime runtime)
    {
        _owner = owner;
        _engine = runtime.Engine;
        A = new RelayLeg(a, runtime);
        B = new RelayLeg(b, runtime);
        A.Pair(B);
        B.Pair(A);
        Completion = Task.CompletedTask;
    }

    /// <summary>The leg facing party A.</summary>
    public RelayLeg A { get; }

    /// <summary>The leg facing party B.</summary>
    public RelayLeg B { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the last packet relayed either way; 0 before the first.</summary>
    public long LastPacketTimestamp => Math.Max(
        Math.Max(A.RtpSocket.LastPacketTimestamp, A.RtcpSocket.LastPacketTimestamp),
        Math.Max(B.RtpSocket.LastPacketTimestamp, B.RtcpSocket.LastPacketTimestamp));

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Ends when the four receive loops have stopped (after <see cref="Dispose"/>); never faults. Epoll mode has no loops of its own.</summary>
    internal Task Completion { get; private set; }

    /// <summary>Counters of one direction so far.</summary>
    public RelayStreamStats GetStats(RelayDirection direction)
    {
        // A direction is what its receiving leg's two sockets counted; each counter has a single writer.
        var from = direction == RelayDirection.AToB ? A : B;
        var rtp = from.RtpSocket;
        var rtcp = from.RtcpSocket;
        var reception = rtp.Reception!;
        var clockRate = from.Media.ClockRate;
        return new RelayStreamStats
        {
            Packets = rtp.Packets + rtcp.Packets,
            Bytes = rtp.Bytes + rtcp.Bytes,
            Lost = reception.Lost,
            JitterMs = clockRate > 0 ? reception.Jitter * 1000 / clockRate : 0,
            AuthenticationFailures = rtp.AuthenticationFailures + rtcp.AuthenticationFailures,
            Replayed = rtp.Replayed + rtcp.Replayed,
            Dropped = rtp.Dropped + rtcp.Dropped,
        };
    }

    /// <summary>Stops relaying and returns the four ports to the pool (idempotent).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _stop.Dispose();
        if (_engine is not null)
        {
            foreach (var socket in Sockets)
            {
                _engine.Remove(socket);
            }
        }

        A.Close();
        B.Close();
        _owner.OnStreamClosed(this);
        if (_engine is not null)
        {
            _owner.OnStreamStopped(this);
        }
    }

    /// <summary>Starts the receive loops; <see cref="Completion"/> follows them.</summary>
    internal void Start()
    {
        if (_engine is not null)
        {
            foreach (var socket in Sockets)
            {
                _engine.Add(socket);
            }

            return;
        }

        // The loops outlive the request that created the stream: they must not carry its logging scopes or activity.
        using (ExecutionContext.SuppressFlow())
        {
            Completion = RunAsync(_stop.Token);
        }
    }

    private RelaySocket[] Sockets => [A.RtpSocket, A.RtcpSocket, B.RtpSocket, B.RtcpSocket];

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(
                A.RtpSocket.RunAsync(cancellationToken),
                A.RtcpSocket.RunAsync(cancellationToken),
                B.RtpSocket.RunAsync(cancellationToken),
                B.RtcpSocket.RunAsync(cancellationToken));
        }
        finally
        {
            _owner.OnStreamStopped(this);
        }
    }
}
