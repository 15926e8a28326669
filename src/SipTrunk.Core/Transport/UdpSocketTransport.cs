using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace SipTrunk.Core.Transport;

/// <summary>
/// One UDP socket (a listener, or the ephemeral socket for outbound UDP without one): one datagram is one message
/// (RFC 3261 §18.3 does not apply), flows keyed by remote address and created on the first datagram, sends queued and
/// written by one loop.
/// </summary>
internal sealed class UdpSocketTransport
{
    // The largest UDP payload; reading into less could truncate a datagram silently.
    private const int DatagramBufferBytes = 65536;

    private readonly Socket _socket;
    private readonly TransportRuntime _runtime;
    private readonly ConcurrentDictionary<SocketAddress, UdpFlow> _flows = new();
    private readonly Channel<(UdpFlow Flow, ReadOnlyMemory<byte> Datagram)> _sendQueue;
    private readonly IPEndPoint _addressTemplate;
    private readonly Lock _forgetLock = new();
    private int _stopped;

    // ConcurrentDictionary.Count takes every lock; this is kept beside it for the bound check.
    private int _flowCount;

    public UdpSocketTransport(Socket socket, TransportRuntime runtime, string? listenerName)
    {
        _socket = socket;
        _runtime = runtime;
        ListenerName = listenerName;
        LocalEndPoint = TransportRuntime.Normalize((IPEndPoint)socket.LocalEndPoint!);
        _addressTemplate = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _sendQueue = Channel.CreateBounded<(UdpFlow, ReadOnlyMemory<byte>)>(new BoundedChannelOptions(runtime.Settings.SendQueueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string? ListenerName { get; }

    public IPEndPoint LocalEndPoint { get; }

    public AddressFamily AddressFamily => _socket.AddressFamily;

    public bool IsStopped => Volatile.Read(ref _stopped) != 0;

    /// <summary>True when this socket can send to <paramref name="remote"/> (same family, or IPv4 on a dual-stack socket).</summary>
    public bool CanReach(IPEndPoint remote) =>
        remote.AddressFamily == _socket.AddressFamily
        || (_socket.AddressFamily == AddressFamily.InterNetworkV6 && _socket.DualMode && remote.AddressFamily == AddressFamily.InterNetwork);

    /// <summary>The flow toward <paramref name="remote"/>, created when none exists.</summary>
    public UdpFlow GetOrCreateFlow(IPEndPoint remote)
    {
        var target = remote.AddressFamily == AddressFamily.InterNetwork && _socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(remote.Address.MapToIPv6(), remote.Port)
            : remote;
        return GetOrCreateFlow(target.Serialize());
    }

    public bool TryEnqueue(UdpFlow flow, ReadOnlyMemory<byte> datagram) => _sendQueue.Writer.TryWrite((flow, datagram));

    /// <summary>Removes a closed flow and tells the sink; the next datagram from that address opens a new flow.</summary>
    public void Forget(UdpFlow flow)
    {
        if (_flows.TryRemove(new KeyValuePair<SocketAddress, UdpFlow>(flow.Address, flow)))
        {
            Interlocked.Decrement(ref _flowCount);
        }

        _runtime.Flows.Remove(flow);
        _runtime.Logger.FlowClosed(flow, "closed");
        _runtime.NotifyClosed(flow);
    }

    /// <summary>Receives and sends until <paramref name="stopping"/>; then closes the socket and every flow. Never throws.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var sending = SendLoopAsync(stopping);
        try
        {
            await ReceiveLoopAsync(stopping);
        }
        finally
        {
            Volatile.Write(ref _stopped, 1);
            _sendQueue.Writer.TryComplete();
            await sending;
            _socket.Dispose();
            foreach (var flow in _flows.Values)
            {
                if (flow.MarkClosed())
                {
                    Forget(flow);
                }
            }
        }
    }

    private UdpFlow GetOrCreateFlow(SocketAddress address)
    {
        if (_flows.TryGetValue(address, out var existing))
        {
            return existing;
        }

        // The receive loop reuses its SocketAddress; the dictionary key must be a copy.
        var key = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(key.Buffer.Span);
        var remote = TransportRuntime.Normalize((IPEndPoint)_addressTemplate.Create(key));
        var flow = new UdpFlow(_runtime.NextFlowId(), this, remote, key) { LastReceived = _runtime.Time.GetTimestamp() };
        if (Volatile.Read(ref _flowCount) >= _runtime.Settings.MaxUdpFlows)
        {
            ForgetQuietFlows();
        }

        if (!_flows.TryAdd(key, flow))
        {
            return _flows[key];
        }

        Interlocked.Increment(ref _flowCount);

        _runtime.Flows.Add(flow);
        _runtime.Logger.FlowOpened(flow, ListenerName);
        return flow;
    }

    /// <summary>
    /// Keeps the flow table within <see cref="TransportSettings.MaxUdpFlows"/> (a spoofed-source flood would otherwise
    /// grow it by one flow per forged address): the longest-quiet flows are forgotten down to 90% of the limit, so the
    /// sort is paid once per many new flows. A forgotten flow is not closed: transactions holding it still send on it,
    /// and the next datagram from its address opens a new one.
    /// </summary>
    private void ForgetQuietFlows()
    {
        lock (_forgetLock)
        {
            var limit = _runtime.Settings.MaxUdpFlows;
            var target = limit - Math.Max(1, limit / 10);
            if (Volatile.Read(ref _flowCount) <= target)
            {
                return;
            }

            var flows = _flows.Values.ToList();
            flows.Sort(static (a, b) => a.LastReceived.CompareTo(b.LastReceived));
            var forgotten = 0;
            foreach (var flow in flows)
            {
                if (Volatile.Read(ref _flowCount) <= target)
                {
                    break;
                }

                if (_flows.TryRemove(new KeyValuePair<SocketAddress, UdpFlow>(flow.Address, flow)))
                {
                    Interlocked.Decrement(ref _flowCount);
                    _runtime.Flows.Remove(flow);
                    forgotten++;
                }
            }

            _runtime.Logger.UdpFlowsForgotten(LocalEndPoint, forgotten, limit);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken stopping)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DatagramBufferBytes);
        var address = new SocketAddress(_socket.AddressFamily);
        var addressSize = address.Size;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                int received;
                try
                {
                    address.Size = addressSize;
                    received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, address, stopping);
                }
                catch (SocketException ex) when (IsTransient(ex.SocketErrorCode))
                {
                    // ICMP errors reported for earlier sends (port unreachable, …) say nothing about this socket.
                    continue;
                }

                var datagram = buffer.AsSpan(0, received);

                // RFC 5626 §4.4.1 CRLF keep-alives on UDP carry no message; STUN keep-alives are out of scope.
                if (datagram.IsEmpty || datagram.IndexOfAnyExcept((byte)'\r', (byte)'\n') < 0)
                {
                    continue;
                }

                // Limits:RequestsPerSecondPerIp: before the flow, the ban lookup or the parser, straight off the socket
                // address, so that a flood over its rate costs a lookup and nothing else; dropped without a word.
                if (_runtime.RateLimiter is not null && !TransportRuntime.IsResponse(datagram)
                    && _runtime.CheckRequestRate(SourceKey.From(address), SipTransportKind.Udp) != RateDecision.Admit)
                {
                    continue;
                }

                var flow = GetOrCreateFlow(address);
                if (_runtime.Admission?.IsDatagramRefused(flow.RemoteEndPoint.Address) == true)
                {
                    _runtime.Metrics.RequestsRefused.Increment("banned");
                    continue;
                }

                flow.LastReceived = _runtime.Time.GetTimestamp();

                if (received > _runtime.Settings.MaxMessageBytes)
                {
                    _runtime.Metrics.MalformedMessages.Increment(TransportRuntime.Label(SipTransportKind.Udp));
                    _runtime.Logger.DatagramDropped(received, flow.RemoteEndPoint, "too large");
                    continue;
                }

                _runtime.Deliver(datagram.ToArray(), flow);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            _runtime.Logger.UdpSocketFailed(ex, LocalEndPoint);
        }
        catch (Exception)
        {
            // The socket went away while stopping.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendLoopAsync(CancellationToken stopping)
    {
        var reader = _sendQueue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping))
            {
                while (reader.TryRead(out var item))
                {
                    try
                    {
                        await _socket.SendToAsync(item.Datagram, SocketFlags.None, item.Flow.Address, stopping);
                    }
                    catch (SocketException ex)
                    {
                        // UDP is unreliable anyway; the transaction layer retransmits (RFC 3261 §17.1.1.2).
                        _runtime.Logger.UdpSendFailed(ex, item.Flow.RemoteEndPoint);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: queued datagrams are dropped.
        }
        catch (ObjectDisposedException)
        {
            // The socket closed under a send.
        }
    }

    private static bool IsTransient(SocketError error) => error is SocketError.ConnectionReset or SocketError.ConnectionRefused
        or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.MessageSize or SocketError.TimedOut;
}
