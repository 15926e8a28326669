using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Core.Media;

/// <summary>
/// One bound UDP socket of a <see cref="RelayLeg"/> (its RTP or its RTCP port): receives what the leg's party sends and
/// relays it out of the other leg. Read either by its own async loop (<see cref="RunAsync"/>) or by one epoll thread
/// (<see cref="ReceiveAndRelay"/>), never by two at once, so everything this socket counts has one writer; other
/// threads read the counters through <see cref="Volatile"/>. Per packet: no allocation, no lock on the RTP path.
/// </summary>
internal sealed partial class RelaySocket
{
    /// <summary>The largest datagram relayed; longer ones are dropped as malformed.</summary>
    internal const int MaxPacket = 2048;

    // Receives ask for one byte more than MaxPacket: Unix cuts a longer datagram to the buffer without an error, so a
    // result longer than MaxPacket is how an oversized one shows.
    private const int ReceiveLength = MaxPacket + 1;

    // Each half of the buffer holds a packet plus the most SRTP/SRTCP adds (4-byte index + 16-byte tag), so a
    // transform from one half into the other never runs out of room.
    private const int Half = MaxPacket + 64;

    /// <summary>Buffer bytes per socket: the receive half and the work half.</summary>
    internal const int BufferBytes = 2 * Half;

    // Stop a loop whose socket keeps failing (it would spin), rather than retry forever.
    private const int MaxConsecutiveErrors = 1000;

    private readonly Socket _socket;
    private readonly RelayLeg _leg;
    private readonly RelayRuntime _runtime;
    private readonly ILogger _logger;
    private readonly SocketAddress _source;
    private readonly long _relatchAfterTicks;
    private readonly RtpReceptionStats? _reception;
    private readonly ExecutionContext? _callContext;
    private RelayLatch? _latch;
    private long _lastFromLatched;

    private long _packets;
    private long _bytes;
    private long _dropped;
    private long _authenticationFailures;
    private long _replayed;
    private long _lastPacket;

    public RelaySocket(Socket socket, bool isRtcp, RelayLeg leg, RelayRuntime runtime)
    {
        _socket = socket;
        IsRtcp = isRtcp;
        _leg = leg;
        _runtime = runtime;
        _logger = runtime.Logger;
        _source = new SocketAddress(socket.AddressFamily);
        _relatchAfterTicks = RelatchAfter.Ticks * runtime.Frequency / TimeSpan.TicksPerSecond;
        _reception = isRtcp ? null : new RtpReceptionStats();
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;

        // The stream is opened while the call's signalling is handled, under its logging scope (CallId, Peer); the
        // receive threads run without it, so the lines they log about this socket borrow it (CONTRACT.md §6).
        _callContext = ExecutionContext.Capture();
    }

    /// <summary>
    /// How long a latched source must have been silent before an SRTP-authenticated packet from another source takes
    /// over (a NAT rebinding mid-call). Plain RTP never re-latches: anyone could send the packet.
    /// </summary>
    public static TimeSpan RelatchAfter { get; } = TimeSpan.FromSeconds(2);

    public int Port { get; }

    public AddressFamily AddressFamily => _source.Family;

    /// <summary>The RTCP port of its leg: every packet it receives is RTCP.</summary>
    public bool IsRtcp { get; }

    public long Packets => Volatile.Read(ref _packets);

    public long Bytes => Volatile.Read(ref _bytes);

    public long Dropped => Volatile.Read(ref _dropped);

    public long AuthenticationFailures => Volatile.Read(ref _authenticationFailures);

    public long Replayed => Volatile.Read(ref _replayed);

    public long LastPacketTimestamp => Volatile.Read(ref _lastPacket);

    /// <summary>Loss and jitter of the RTP this socket receives; <see langword="null"/> on an RTCP socket.</summary>
    public RtpReceptionStats? Reception => _reception;

    /// <summary>The socket's descriptor, for <see cref="RelayEpollEngine"/>.</summary>
    public IntPtr Handle => _socket.Handle;

    /// <summary>Where <see cref="RelayEpollEngine"/> has this socket registered (under its lock).</summary>
    public RelayEpollEngine.Registration? Registration { get; set; }

    /// <summary>The latched source if it was latched under <paramref name="epoch"/>, else <see langword="null"/>.</summary>
    public RelayLatch? CurrentLatch(int epoch) => Volatile.Read(ref _latch) is { } latch && latch.Epoch == epoch ? latch : null;

    /// <summary>Receives until <paramref name="cancellationToken"/> fires or the socket is closed; never throws.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Off the creating thread: a socket that already has packets queued completes synchronously.
        await Task.Yield();
        var buffer = _runtime.Buffers.Rent();
        try
        {
            var receive = buffer.AsMemory(0, ReceiveLength);
            var errors = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = await _socket.ReceiveFromAsync(receive, SocketFlags.None, _source, cancellationToken);
                }
                catch (SocketException e) when (IsTransient(e.SocketErrorCode))
                {
                    CountOversized(e.SocketErrorCode);
                    continue;
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException e)
                {
                    LogReceiveFailed(e, Port, e.SocketErrorCode);
                    if (++errors >= MaxConsecutiveErrors)
                    {
                        return;
                    }

                    continue;
                }

                errors = 0;
                RelaySafely(buffer, length, _source);
            }
        }
        finally
        {
            _runtime.Buffers.Return(buffer);
        }
    }

    /// <summary>
    /// Reads one datagram the epoll set said is waiting and relays it (<see cref="RelayEpollEngine"/>). The buffer and
    /// source address belong to the calling thread. Never throws.
    /// </summary>
    public void ReceiveAndRelay(byte[] buffer, SocketAddress source)
    {
        int length;
        try
        {
            length = _socket.ReceiveFrom(buffer.AsSpan(0, ReceiveLength), SocketFlags.None, source);
        }
        catch (SocketException e) when (IsTransient(e.SocketErrorCode) || e.SocketErrorCode == SocketError.WouldBlock)
        {
            // WouldBlock: a readiness report gone stale; nothing is lost.
            CountOversized(e.SocketErrorCode);
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        catch (SocketException e)
        {
            // Level-triggered: a socket that keeps failing is reported again at once, so the log is throttled.
            if (_runtime.ShouldLogFailure())
            {
                LogReceiveFailed(e, Port, e.SocketErrorCode);
            }

            return;
        }

        RelaySafely(buffer, length, source);
    }

    /// <summary>Closes the socket; the loop ends at its next receive.</summary>
    public void Close() => _socket.Dispose();

    /// <summary>Sends from this socket; false when the kernel refused (the packet is dropped).</summary>
    private bool Send(ReadOnlySpan<byte> packet, SocketAddress target)
    {
        try
        {
            _socket.SendTo(packet, SocketFlags.None, target);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            // The stream is closing.
            return false;
        }
    }

    // An ICMP port unreachable for something sent earlier (Windows), or an oversized datagram: not this socket's problem.
    private static bool IsTransient(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize;

    // No RTP endpoint sends a datagram longer than MaxPacket (an IP fragment train); Windows reports it as an error.
    private void CountOversized(SocketError error)
    {
        if (error == SocketError.MessageSize)
        {
            _runtime.Metrics.MediaPackets.Increment(MediaMetricLabels.In);
            Drop(MediaMetricLabels.Malformed);
        }
    }

    private void RelaySafely(byte[] buffer, int length, SocketAddress source)
    {
        if (length > MaxPacket)
        {
            CountOversized(SocketError.MessageSize);
            return;
        }

        try
        {
            Relay(buffer, length, source);
        }
        catch (Exception e)
        {
            // A bug, not a packet's fault: the socket keeps relaying, and the log gets one line per second at most.
            Drop(MediaMetricLabels.Malformed);
            if (_runtime.ShouldLogFailure())
            {
                LogRelayFailed(e, Port);
            }
        }
    }

    // The packet received from this leg's party goes out of the other leg toward the other party.
    private void Relay(byte[] buffer, int length, SocketAddress source)
    {
        var runtime = _runtime;
        var now = runtime.Time.GetTimestamp();
        runtime.Metrics.MediaPackets.Increment(MediaMetricLabels.In);
        var self = _leg.State;
        var peerLeg = _leg.Peer;
        var peer = peerLeg.State;
        if (!self.Media.Active || !peer.Media.Active)
        {
            Drop(MediaMetricLabels.Inactive);
            return;
        }

        var packet = buffer.AsSpan(0, length);

        // RFC 5761 §4: with rtcp-mux, RTCP packet types 192-223 share the RTP port (RTP payload types avoid them).
        var rtcp = IsRtcp || (self.Media.RtcpMux && length >= 2 && packet[1] is >= 192 and <= 223);
        if (length < (rtcp ? 8 : 12) || packet[0] >> 6 != 2)
        {
            Drop(MediaMetricLabels.Malformed);
            return;
        }

        // RFC 4961: the party's packets come from where it wants ours. Once latched, other sources are dropped unless
        // the latched one went silent and the newcomer proves it holds the party's SRTP key.
        var latch = CurrentLatch(self.Epoch);
        var fromLatched = latch is not null && latch.Matches(source);
        var decrypt = self.Media.Decrypt;
        if (latch is not null && !fromLatched && (decrypt is null || now - _lastFromLatched < _relatchAfterTicks))
        {
            Drop(MediaMetricLabels.UnlatchedSource);
            return;
        }

        ReadOnlySpan<byte> plain = packet;
        var spare = buffer.AsSpan(Half, Half);
        if (decrypt is not null)
        {
            SrtpResult result;
            int written;
            if (rtcp)
            {
                // RTCP of this direction may arrive on both sockets of a muxed leg; SrtpContext allows one RTCP call
                // at a time.
                lock (_leg.InboundRtcpGate)
                {
                    result = decrypt.UnprotectRtcp(packet, spare, out written);
                }
            }
            else
            {
                result = decrypt.UnprotectRtp(packet, spare, out written);
            }

            if (result != SrtpResult.Ok)
            {
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    LogUnprotectFailedForCall(rtcp ? "SRTCP" : "SRTP", length, result);
                }

                DropUnprotected(result);
                return;
            }

            plain = spare[..written];
            spare = buffer.AsSpan(0, Half);
        }

        if (!fromLatched)
        {
            Latch(source, self.Epoch, latch, now);
        }

        _lastFromLatched = now;
        if (!rtcp)
        {
            _reception!.Update(plain, now, runtime.Frequency, self.Media.ClockRate);
        }

        // Toward the other party: muxed RTCP rides its RTP socket. Its latched source wins over its SDP address.
        var viaRtcp = rtcp && !peer.Media.RtcpMux;
        var via = viaRtcp ? peerLeg.RtcpSocket : peerLeg.RtpSocket;
        var target = via.CurrentLatch(peer.Epoch)?.Address ?? (viaRtcp ? peer.RtcpTarget : peer.RtpTarget);
        if (target is null)
        {
            Drop(MediaMetricLabels.NoTarget);
            return;
        }

        var outgoing = plain;
        if (peer.Media.Encrypt is { } encrypt)
        {
            SrtpResult result;
            int written;
            if (rtcp)
            {
                lock (_leg.InboundRtcpGate)
                {
                    result = encrypt.ProtectRtcp(plain, spare, out written);
                }
            }
            else
            {
                result = encrypt.ProtectRtp(plain, spare, out written);
            }

            if (result != SrtpResult.Ok)
            {
                Drop(MediaMetricLabels.Malformed);
                return;
            }

            outgoing = spare[..written];
        }

        if (!via.Send(outgoing, target))
        {
            Drop(MediaMetricLabels.SendFailed);
            return;
        }

        runtime.Metrics.MediaPackets.Increment(MediaMetricLabels.Out);
        Volatile.Write(ref _packets, _packets + 1);
        Volatile.Write(ref _bytes, _bytes + length);
        Volatile.Write(ref _lastPacket, now);
    }

    private void Latch(SocketAddress source, int epoch, RelayLatch? previous, long now)
    {
        var latch = new RelayLatch(source, epoch);
        Volatile.Write(ref _latch, latch);
        if (previous is null)
        {
            LogLatchedForCall(latch.EndPoint);
        }
        else
        {
            var silentMs = (now - _lastFromLatched) * 1000.0 / _runtime.Frequency;
            LogRelatchedForCall(previous.EndPoint, latch.EndPoint, silentMs);
        }
    }

    // Separate methods so that the closures are allocated only when a line is written, never per packet.
    private void LogUnprotectFailedForCall(string kind, int length, SrtpResult result) => InCallContext(() => LogUnprotectFailed(Port, kind, length, result));

    private void LogLatchedForCall(IPEndPoint source) => InCallContext(() => LogLatched(Port, source));

    private void LogRelatchedForCall(IPEndPoint previous, IPEndPoint source, double silentMs) => InCallContext(() => LogRelatched(Port, previous, source, silentMs));

    private void InCallContext(Action log)
    {
        if (_callContext is null)
        {
            log();
            return;
        }

        ExecutionContext.Run(_callContext, static state => ((Action)state!)(), log);
    }

    private void DropUnprotected(SrtpResult result)
    {
        switch (result)
        {
            case SrtpResult.AuthenticationFailed:
                Volatile.Write(ref _authenticationFailures, _authenticationFailures + 1);
                _runtime.Metrics.MediaPacketsDropped.Increment(MediaMetricLabels.AuthFailed);
                break;
            case SrtpResult.Replayed:
                Volatile.Write(ref _replayed, _replayed + 1);
                _runtime.Metrics.MediaPacketsDropped.Increment(MediaMetricLabels.Replayed);
                break;
            default:
                Drop(MediaMetricLabels.Malformed);
                break;
        }
    }

    private void Drop(string reason)
    {
        Volatile.Write(ref _dropped, _dropped + 1);
        _runtime.Metrics.MediaPacketsDropped.Increment(reason);
    }

    [LoggerMessage(EventId = 5114, Level = LogLevel.Debug, Message = "Relay port {Port} dropped a {Kind} packet of {Length} bytes: {Result}")]
    private partial void LogUnprotectFailed(int port, string kind, int length, SrtpResult result);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Debug, Message = "Relay port {Port} latched to {Source}")]
    private partial void LogLatched(int port, IPEndPoint source);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "Relay port {Port} moved from {Previous} to {Source} after {SilentMs} ms of silence (SRTP-authenticated)")]
    private partial void LogRelatched(int port, IPEndPoint previous, IPEndPoint source, double silentMs);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "Receiving on relay port {Port} failed ({Error})")]
    private partial void LogReceiveFailed(Exception exception, int port, SocketError error);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Error, Message = "Relaying a packet received on port {Port} failed")]
    private partial void LogRelayFailed(Exception exception, int port);
}
