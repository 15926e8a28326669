using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using SipTrunk.Sip.Framing;

namespace SipTrunk.Core.Transport;

/// <summary>
/// A TCP or TLS connection (RFC 3261 §18.3): one receive loop that frames and parses, one writer that drains a bounded
/// queue in batches, and for outbound connections a keep-alive loop (RFC 5626 §4.4.1). No thread of its own; every
/// timeout is a cancellation token driven by the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class StreamFlow : SipFlow, IDisposable
{
    private const string IdleReason = "idle";
    private const string PartialReason = "partial-message";
    private const int InitialBufferBytes = 4096;
    private const int BatchBytes = 16384;

    // RFC 5626 §4.4.1: a ping is CRLFCRLF, its pong a single CRLF.
    private static readonly ReadOnlyMemory<byte> Ping = "\r\n\r\n"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Pong = "\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly TransportRuntime _runtime;
    private readonly Channel<ReadOnlyMemory<byte>> _sendQueue;
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenSource _readDeadline;
    private readonly SourceKey _source;
    private string _deadlineReason = IdleReason;
    private string _closeReason = "";
    private int _closed;
    private long _bytesReceived;

    public StreamFlow(
        TransportRuntime runtime,
        SipTransportKind transport,
        Socket socket,
        Stream stream,
        TlsSessionInfo? tls,
        string? listenerName,
        string? outboundKey)
        : base(
            runtime.NextFlowId(),
            transport,
            TransportRuntime.Normalize((IPEndPoint)socket.LocalEndPoint!),
            TransportRuntime.Normalize((IPEndPoint)socket.RemoteEndPoint!))
    {
        _runtime = runtime;
        _socket = socket;
        _stream = stream;
        Tls = tls;
        ListenerName = listenerName;
        OutboundKey = outboundKey;
        _sendQueue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(runtime.Settings.SendQueueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _source = SourceKey.From(RemoteEndPoint.Address);
        _readDeadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, runtime.Time);
        _closing.Token.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _readDeadline);
    }

    public override bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Why the flow closed (empty while open).</summary>
    public string CloseReason => Volatile.Read(ref _closeReason);

    public override bool TrySend(ReadOnlyMemory<byte> message) => !IsClosed && _sendQueue.Writer.TryWrite(message);

    public override void Close(string reason) => CloseCore(reason, countAsClosedBySipTrunk: true);

    /// <summary>Runs the flow until it closes; the socket is disposed when this completes. Never throws.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var keepAlive = OutboundKey is not null && _runtime.Settings.KeepAliveInterval > TimeSpan.Zero;
        using (stopping.UnsafeRegister(static state => ((StreamFlow)state!).CloseCore("shutdown", countAsClosedBySipTrunk: false), this))
        {
            var sending = SendLoopAsync();
            var keepingAlive = keepAlive ? KeepAliveLoopAsync() : Task.CompletedTask;
            await ReceiveLoopAsync();
            CloseCore("remote-closed", countAsClosedBySipTrunk: false);
            await sending;
            await keepingAlive;
        }

        // Run the close callbacks here and now (CloseCore's queued Cancel may not have run yet), so that nothing
        // touches the deadline source after it is disposed; a later Cancel of the cancelled source is a no-op.
        await _closing.CancelAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
        Dispose();
    }

    /// <summary>
    /// Marks the flow closed and wakes its loops. The wake-up runs on the thread pool so that closing one flow from
    /// inside a sink callback never runs another flow's loop (and its close notification) re-entrantly.
    /// </summary>
    private void CloseCore(string reason, bool countAsClosedBySipTrunk)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        Volatile.Write(ref _closeReason, reason);
        if (countAsClosedBySipTrunk)
        {
            _runtime.Metrics.ConnectionsClosed.Increment(reason);
        }

        _sendQueue.Writer.TryComplete();
        ThreadPool.UnsafeQueueUserWorkItem(static flow => flow.WakeLoops(), this, preferLocal: false);
    }

    /// <summary>Releases the timers; <see cref="RunAsync"/> calls it once its loops have ended.</summary>
    public void Dispose()
    {
        _readDeadline.Dispose();
        _closing.Dispose();
    }

    private void WakeLoops()
    {
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // RunAsync already finished (it cancels before disposing): nothing is left to wake.
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var count = 0;
        long partialSince = 0;
        try
        {
            while (!IsClosed)
            {
                if (!ArmReadDeadline(buffer.AsSpan(0, count), ref partialSince))
                {
                    return;
                }

                if (count == buffer.Length)
                {
                    buffer = Grow(buffer, count);
                }

                int read;
                try
                {
                    read = await _stream.ReadAsync(buffer.AsMemory(count), _readDeadline.Token);
                }
                catch (OperationCanceledException) when (!IsClosed)
                {
                    _runtime.Logger.ReceiveTimedOut(this, _deadlineReason);
                    CloseCore(_deadlineReason, countAsClosedBySipTrunk: true);
                    return;
                }

                if (read == 0)
                {
                    return;
                }

                Interlocked.Add(ref _bytesReceived, read);
                count += read;
                if (!ProcessFrames(buffer, ref count))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (!IsClosed)
        {
            // Reset by the peer, TLS alert, or a bug: the connection is unusable either way.
            _runtime.Logger.ReceiveFailed(ex, this);
        }
        catch (Exception)
        {
            // The flow was closed under the pending read.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Sets the read deadline: the partial-message timeout while a message is incomplete (measured from its first byte,
    /// not reset by more bytes, CONTRACT.md §3), the idle timeout otherwise. False when the message is already late.
    /// </summary>
    private bool ArmReadDeadline(ReadOnlySpan<byte> pending, ref long partialSince)
    {
        var settings = _runtime.Settings;
        var time = _runtime.Time;

        // A lone CRLF (a pong, or half a ping) is keep-alive traffic, not a message in progress.
        if (pending.IsEmpty || pending.IndexOfAnyExcept((byte)'\r', (byte)'\n') < 0)
        {
            partialSince = 0;
            _deadlineReason = IdleReason;
            _readDeadline.CancelAfter(settings.IdleTimeout);
            return true;
        }

        if (partialSince == 0)
        {
            partialSince = time.GetTimestamp();
        }

        var remaining = settings.PartialMessageTimeout - time.GetElapsedTime(partialSince);
        if (remaining <= TimeSpan.Zero)
        {
            _runtime.Logger.ReceiveTimedOut(this, PartialReason);
            CloseCore(PartialReason, countAsClosedBySipTrunk: true);
            return false;
        }

        _deadlineReason = PartialReason;
        _readDeadline.CancelAfter(remaining);
        return true;
    }

    /// <summary>Consumes every complete frame at the start of the buffer; false when the connection must close.</summary>
    private bool ProcessFrames(byte[] buffer, ref int count)
    {
        var offset = 0;
        while (offset < count && !IsClosed)
        {
            var frame = SipFrameScanner.Scan(buffer.AsSpan(offset, count - offset), _runtime.Limits);
            if (frame.Status == FrameStatus.NeedMoreData)
            {
                break;
            }

            switch (frame.Status)
            {
                case FrameStatus.Message when !AdmitRequest(buffer.AsSpan(offset, frame.Length)):
                    offset += frame.Length;
                    break;
                case FrameStatus.Message:
                    // The message keeps its own exact-size copy: the parser's views slice it, and the buffer is reused.
                    var message = buffer.AsSpan(offset, frame.Length).ToArray();
                    offset += frame.Length;
                    _runtime.Deliver(message, this);
                    break;
                case FrameStatus.KeepAlivePing:
                    offset += frame.Length;
                    TrySend(Pong);
                    break;
                case FrameStatus.KeepAlivePong:
                    offset += frame.Length;
                    break;
                default:
                    // Broken framing (bad Content-Length, oversize): there is no way to find the next message.
                    _runtime.Metrics.MalformedMessages.Increment(TransportRuntime.Label(Transport));
                    _runtime.Logger.FramingFailed(this, frame.Error);
                    CloseCore("malformed-framing", countAsClosedBySipTrunk: true);
                    return false;
            }
        }

        if (offset > 0)
        {
            buffer.AsSpan(offset, count - offset).CopyTo(buffer);
            count -= offset;
        }

        return !IsClosed;
    }

    /// <summary>
    /// Limits:RequestsPerSecondPerIp on an inbound connection, before the frame is copied or parsed: over the rate, the
    /// source gets one 503 with Retry-After per second (RFC 3261 §21.5.4) and the rest is dropped. SipTrunk's own
    /// connections to carriers and responses are not limited.
    /// </summary>
    private bool AdmitRequest(ReadOnlySpan<byte> frame)
    {
        if (_runtime.RateLimiter is null || OutboundKey is not null || TransportRuntime.IsResponse(frame))
        {
            return true;
        }

        var decision = _runtime.CheckRequestRate(_source, Transport);
        if (decision == RateDecision.Answer && RateLimitResponse.TryCreate(frame.ToArray(), _runtime.Limits, _runtime.Settings.UserAgent) is { } response)
        {
            TrySend(response);
        }

        return decision == RateDecision.Admit;
    }

    private byte[] Grow(byte[] buffer, int count)
    {
        // The scanner refuses anything over MaxMessageBytes, so the buffer never needs to grow beyond it.
        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, Math.Max(_runtime.Settings.MaxMessageBytes, buffer.Length + 1)));
        buffer.AsSpan(0, count).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    /// <summary>Writes whatever is queued as one batch (one TLS record / one send where it fits), then waits for more.</summary>
    private async Task SendLoopAsync()
    {
        var reader = _sendQueue.Reader;
        var token = _closing.Token;
        try
        {
            while (await reader.WaitToReadAsync(token))
            {
                var batch = ArrayPool<byte>.Shared.Rent(BatchBytes);
                try
                {
                    var used = 0;
                    while (reader.TryRead(out var message))
                    {
                        if (used + message.Length > batch.Length && used > 0)
                        {
                            await _stream.WriteAsync(batch.AsMemory(0, used), token);
                            used = 0;
                        }

                        if (message.Length > batch.Length)
                        {
                            await _stream.WriteAsync(message, token);
                            continue;
                        }

                        message.Span.CopyTo(batch.AsSpan(used));
                        used += message.Length;
                    }

                    if (used > 0)
                    {
                        await _stream.WriteAsync(batch.AsMemory(0, used), token);
                    }

                    await _stream.FlushAsync(token);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(batch);
                }
            }
        }
        catch (Exception ex) when (!IsClosed)
        {
            _runtime.Logger.SendFailed(ex, this);
            CloseCore("write-error", countAsClosedBySipTrunk: true);
        }
        catch (Exception)
        {
            // Closed while writing: the queued messages are dropped with the flow.
        }
    }

    /// <summary>
    /// RFC 5626 §4.4.1: every <see cref="TransportSettings.KeepAliveInterval"/> send CRLFCRLF; if nothing at all arrives
    /// within <see cref="TransportSettings.KeepAlivePongTimeout"/> the flow is dead and is closed.
    /// </summary>
    private async Task KeepAliveLoopAsync()
    {
        var settings = _runtime.Settings;
        var token = _closing.Token;
        try
        {
            while (!IsClosed)
            {
                await Task.Delay(settings.KeepAliveInterval, _runtime.Time, token);
                var before = Interlocked.Read(ref _bytesReceived);
                if (!TrySend(Ping))
                {
                    // Closed, or the queue is full of real traffic, which will prove liveness soon enough.
                    continue;
                }

                await Task.Delay(settings.KeepAlivePongTimeout, _runtime.Time, token);
                if (Interlocked.Read(ref _bytesReceived) == before && !IsClosed)
                {
                    _runtime.Logger.KeepAliveTimedOut(this, settings.KeepAlivePongTimeout);
                    CloseCore("keepalive-timeout", countAsClosedBySipTrunk: true);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The flow closed.
        }
    }
}
