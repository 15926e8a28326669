using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Diagnostics;

namespace SipTrunk.Core.Transport;

/// <summary>
/// SipTrunk's SIP transports (RFC 3261 §18): binds the listeners, accepts and frames connections, receives datagrams,
/// opens and keeps one outbound connection per carrier (RFC 5923), and hands every message to the
/// <see cref="ISipMessageSink"/> together with the <see cref="SipFlow"/> it came on. Every loop is a task this service
/// owns and awaits on <see cref="StopAsync"/>.
/// </summary>
public sealed class SipTransportService : IAsyncDisposable
{
    private const int ListenBacklog = 512;

    private readonly TransportRuntime _runtime;
    private readonly TlsAuthenticator? _tls;
    private readonly ConnectionLimiter _limiter;
    private readonly LogThrottle _limitLogThrottle;
    private readonly OutboundConnector _connector;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StreamFlow> _outbound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<StreamFlow>> _connecting = new(StringComparer.Ordinal);
    private readonly Dictionary<AddressFamily, UdpSocketTransport> _ephemeralUdp = [];
    private IReadOnlyList<UdpSocketTransport> _udpListeners = [];
    private IReadOnlyList<BoundListener> _listeners = [];
    private bool _started;
    private Task? _stopTask;

    /// <summary>Creates the service; nothing is bound until <see cref="StartAsync"/>.</summary>
    /// <param name="settings">Limits and timers.</param>
    /// <param name="tls">SipTrunk's certificate and TLS policy; required for TLS listeners and TLS targets.</param>
    /// <param name="sink">Receives messages and flow closures.</param>
    /// <param name="metrics">Counters the transport increments.</param>
    /// <param name="time">Drives every timeout and keep-alive.</param>
    /// <param name="logger">The transport's log.</param>
    /// <param name="admission">Refuses banned addresses before any work (accept, UDP receive); optional.</param>
    /// <exception cref="ArgumentException">A setting is out of range (see <see cref="TransportSettings.Validate"/>, <see cref="TlsSettings.Validate"/>).</exception>
    public SipTransportService(
        TransportSettings settings,
        TlsSettings? tls,
        ISipMessageSink sink,
        SipTrunkMetrics metrics,
        TimeProvider time,
        ILogger<SipTransportService> logger,
        IConnectionAdmission? admission = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        settings.Validate();
        tls?.Validate();
        _runtime = new TransportRuntime(settings, sink, metrics, time, logger, admission);
        _tls = tls is null ? null : new TlsAuthenticator(tls, time);
        if (tls is { SessionResumption: true } && !TlsMaterial.CanResume(tls))
        {
            logger.ResumptionInactive();
        }

        _limiter = new ConnectionLimiter(settings.MaxConnectionsPerIp);
        _limitLogThrottle = new LogThrottle(time, TimeSpan.FromSeconds(10));
        _connector = new OutboundConnector(_runtime, _tls);
    }

    /// <summary>The listeners bound by <see cref="StartAsync"/>, with their actual addresses.</summary>
    public IReadOnlyList<BoundListener> Listeners => Volatile.Read(ref _listeners);

    /// <summary>The TLS settings new handshakes use; null without TLS.</summary>
    public TlsSettings? Tls => _tls?.Settings;

    /// <summary>
    /// Replaces SipTrunk's certificate, trusted CAs and revocation lists (a reload): every TLS handshake that starts
    /// after this call, inbound or outbound, uses <paramref name="tls"/>; established connections keep their session.
    /// </summary>
    /// <exception cref="ArgumentException">The settings cannot work (see <see cref="TlsSettings.Validate"/>).</exception>
    /// <exception cref="InvalidOperationException">The service was created without TLS.</exception>
    public void UpdateTls(TlsSettings tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        tls.Validate();
        var authenticator = _tls ?? throw new InvalidOperationException("the transport service was created without TLS settings");
        authenticator.Update(tls);
        if (_runtime.Logger.IsEnabled(LogLevel.Information))
        {
            _runtime.Logger.TlsUpdated(tls.ServerCertificate.Subject, CertificateVerifier.Sha256Hex(tls.ServerCertificate), tls.TrustedCaCertificates.Count, tls.RevocationLists.Count);
        }
    }

    /// <summary>Open TCP and TLS connections, inbound and outbound, including those still in their TLS handshake.</summary>
    public int ConnectionCount => _runtime.ConnectionCount;

    /// <summary>Binds every listener, then starts accepting and receiving on all of them.</summary>
    /// <exception cref="SipTransportException">A listener cannot be bound (the message names it and its address); none stays bound.</exception>
    /// <exception cref="ArgumentException">A TLS listener without <see cref="TlsSettings"/>.</exception>
    /// <exception cref="InvalidOperationException">Already started, or stopped.</exception>
    public Task StartAsync(IReadOnlyList<ListenerDefinition> listeners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listeners);
        lock (_lock)
        {
            if (_started || _stopTask is not null)
            {
                throw new InvalidOperationException("the transport service was already started");
            }

            _started = true;
        }

        var sockets = new List<(ListenerDefinition Definition, Socket Socket)>(listeners.Count);
        try
        {
            foreach (var definition in listeners)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (definition.Transport == SipTransportKind.Tls && _tls is null)
                {
                    throw new ArgumentException($"listener '{definition.Name}' is TLS but no TLS settings were given", nameof(listeners));
                }

                sockets.Add((definition, Bind(definition)));
            }
        }
        catch
        {
            foreach (var (_, socket) in sockets)
            {
                socket.Dispose();
            }

            lock (_lock)
            {
                _started = false;
            }

            throw;
        }

        var bound = new List<BoundListener>(sockets.Count);
        var udp = new List<UdpSocketTransport>();
        var stopping = _stopping.Token;
        foreach (var (definition, socket) in sockets)
        {
            var endPoint = TransportRuntime.Normalize((IPEndPoint)socket.LocalEndPoint!);
            bound.Add(new BoundListener(definition, endPoint));
            if (definition.Transport == SipTransportKind.Udp)
            {
                var transport = new UdpSocketTransport(socket, _runtime, definition.Name);
                udp.Add(transport);
                _runtime.Tasks.Add(transport.RunAsync(stopping));
            }
            else
            {
                var tls = definition.Transport == SipTransportKind.Tls ? _tls : null;
                var listener = new StreamListener(socket, definition, _runtime, _limiter, _limitLogThrottle, tls);
                _runtime.Tasks.Add(listener.AcceptLoopAsync(stopping));
            }

            _runtime.Logger.ListenerStarted(definition.Name, definition.Transport, endPoint);
        }

        Volatile.Write(ref _udpListeners, udp);
        Volatile.Write(ref _listeners, bound);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The open flow for <paramref name="target"/>'s key, or a new connection: concurrent callers for one key share one
    /// attempt; a closed flow is replaced by a fresh connection on the next call. UDP targets get the UDP flow toward
    /// the target, sent from the first UDP listener that can reach it or else from an ephemeral socket whose replies
    /// are delivered to the sink as well.
    /// </summary>
    /// <exception cref="SipTransportException">Name resolution, connection or TLS failed; the message says which and why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the shared attempt goes on for others).</exception>
    public async ValueTask<SipFlow> ConnectAsync(OutboundTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (target.Transport == SipTransportKind.Udp)
        {
            return await ConnectUdpAsync(target, cancellationToken);
        }

        Task<StreamFlow>? attempt;
        lock (_lock)
        {
            if (_outbound.TryGetValue(target.Key, out var open) && !open.IsClosed)
            {
                return open;
            }

            if (!_connecting.TryGetValue(target.Key, out attempt))
            {
                // The connection serves every call that asks for it and outlives the one that opened it: it must not
                // carry that call's logging scope (CONTRACT.md §6) into its read loop.
                using (ExecutionContext.SuppressFlow())
                {
                    attempt = ConnectOutboundAsync(target);
                }

                _connecting[target.Key] = attempt;
                _runtime.Tasks.Add(attempt);
            }
        }

        return await attempt.WaitAsync(cancellationToken);
    }

    /// <summary>The open flow with this id, or null (closed, or never existed).</summary>
    public SipFlow? FindFlow(long id) => _runtime.Flows.Find(id);

    /// <summary>Closes every inbound connection from <paramref name="address"/> (a source just banned); returns how many.</summary>
    public int CloseInboundFlowsFrom(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _runtime.CloseInboundFlowsFrom(address);
    }

    /// <summary>
    /// For TCP/TLS, the open connection from or to <paramref name="remote"/>, or null. For UDP, the flow toward
    /// <paramref name="remote"/> on the first UDP listener (created when new), or null without a UDP listener.
    /// </summary>
    public SipFlow? FindFlow(SipTransportKind transport, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        remote = TransportRuntime.Normalize(remote);
        if (transport != SipTransportKind.Udp)
        {
            return _runtime.Flows.FindConnection(transport, remote);
        }

        var udp = Volatile.Read(ref _udpListeners).FirstOrDefault(u => u.CanReach(remote));
        return udp?.GetOrCreateFlow(remote);
    }

    /// <summary>Stops accepting, closes every flow (the sink hears of each) and waits for every loop to finish.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task stop;
        lock (_lock)
        {
            stop = _stopTask ??= StopCoreAsync();
        }

        await stop.WaitAsync(cancellationToken);
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task StopCoreAsync()
    {
        // Yield first: the caller holds the lock, and cancelling runs callbacks that may want it.
        await Task.Yield();
        await _stopping.CancelAsync();
        await _runtime.Tasks.WhenAllAsync(CancellationToken.None);
    }

    private static Socket Bind(ListenerDefinition definition)
    {
        var endPoint = definition.EndPoint;
        var socket = definition.Transport == SipTransportKind.Udp
            ? new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                // [::] serves IPv4 too, as "0.0.0.0" would be expected to on a dual-stack host.
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            if (definition.Transport != SipTransportKind.Udp)
            {
                socket.Listen(ListenBacklog);
            }

            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new SipTransportException(
                $"listener '{definition.Name}' cannot bind {TransportRuntime.Label(definition.Transport)} {endPoint}: {ex.Message} ({ex.SocketErrorCode})", ex);
        }
    }

    private async Task<StreamFlow> ConnectOutboundAsync(OutboundTarget target)
    {
        // Leave the caller's lock before anything can complete: publishing the result takes it again.
        await Task.Yield();
        StreamFlow flow;
        try
        {
            flow = await _connector.ConnectAsync(target, _stopping.Token);
        }
        catch (Exception ex)
        {
            if (ex is SipTransportException)
            {
                _runtime.Logger.OutboundFailed(target.Key, target.Host, target.Port, ex.Message);
            }

            lock (_lock)
            {
                _connecting.Remove(target.Key);
            }

            throw;
        }

        lock (_lock)
        {
            _connecting.Remove(target.Key);
            _outbound[target.Key] = flow;
        }

        // Started outside the lock (the sink may hear from the flow at once) and before any caller sees the flow:
        // RunConnectionAsync registers it before its first await, so FindFlow(flow.Id) works from the start.
        _runtime.Tasks.Add(RunOutboundAsync(flow));
        _runtime.Logger.OutboundConnected(target.Key, flow.RemoteEndPoint, flow);
        return flow;
    }

    private Task RunOutboundAsync(StreamFlow flow) => _runtime.RunConnectionAsync(
        flow,
        () =>
        {
            lock (_lock)
            {
                if (_outbound.TryGetValue(flow.OutboundKey!, out var current) && current == flow)
                {
                    _outbound.Remove(flow.OutboundKey!);
                }
            }
        },
        _stopping.Token);

    private async ValueTask<SipFlow> ConnectUdpAsync(OutboundTarget target, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_runtime.Settings.ConnectTimeout, _runtime.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var addresses = await OutboundConnector.ResolveAsync(target, linked.Token);
        var remote = new IPEndPoint(addresses[0], target.Port);
        var udp = Volatile.Read(ref _udpListeners).FirstOrDefault(u => u.CanReach(remote)) ?? EphemeralUdp(remote.AddressFamily);
        return udp.GetOrCreateFlow(remote);
    }

    private UdpSocketTransport EphemeralUdp(AddressFamily family)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopTask is not null, this);
            if (_ephemeralUdp.TryGetValue(family, out var existing))
            {
                return existing;
            }

            var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            var transport = new UdpSocketTransport(socket, _runtime, listenerName: null);
            _ephemeralUdp[family] = transport;
            using (ExecutionContext.SuppressFlow())
            {
                // Like an outbound connection, the socket outlives the call that needed it first.
                _runtime.Tasks.Add(transport.RunAsync(_stopping.Token));
            }

            return transport;
        }
    }
}
