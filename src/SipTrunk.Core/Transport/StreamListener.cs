using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Core.Transport;

/// <summary>
/// A TCP or TLS listener: accepts connections, refuses those over the per-IP limit at once, runs the TLS handshake
/// under the handshake timeout, and turns each accepted connection into a <see cref="StreamFlow"/>.
/// </summary>
internal sealed class StreamListener
{
    private readonly Socket _socket;
    private readonly ListenerDefinition _definition;
    private readonly TransportRuntime _runtime;
    private readonly ConnectionLimiter _limiter;
    private readonly LogThrottle _limitLogThrottle;
    private readonly TlsAuthenticator? _tls;

    public StreamListener(
        Socket socket,
        ListenerDefinition definition,
        TransportRuntime runtime,
        ConnectionLimiter limiter,
        LogThrottle limitLogThrottle,
        TlsAuthenticator? tls)
    {
        _socket = socket;
        _definition = definition;
        _runtime = runtime;
        _limiter = limiter;
        _limitLogThrottle = limitLogThrottle;
        _tls = tls;
    }

    /// <summary>Accepts until <paramref name="stopping"/>, then closes the listening socket. Never throws.</summary>
    public async Task AcceptLoopAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                Socket accepted;
                try
                {
                    accepted = await _socket.AcceptAsync(stopping);
                }
                catch (SocketException ex) when (!stopping.IsCancellationRequested)
                {
                    // The connection died in the backlog, or descriptors ran out: log and keep the listener alive.
                    _runtime.Logger.AcceptFailed(ex, _definition.Name);
                    continue;
                }

                try
                {
                    Accept(accepted, stopping);
                }
                catch (SocketException)
                {
                    // Reset between accept and setup: nothing to serve, and no reason to stop listening.
                    accepted.Dispose();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
        }
        finally
        {
            _socket.Dispose();
        }
    }

    private void Accept(Socket socket, CancellationToken stopping)
    {
        var remote = TransportRuntime.Normalize((IPEndPoint)socket.RemoteEndPoint!).Address;
        if (_runtime.Admission?.IsRefused(remote) == true)
        {
            // A banned source (Limits:AuthFailuresBeforeBan) costs one accept and one close, nothing more.
            _runtime.Metrics.ConnectionsClosed.Increment("banned");
            socket.Dispose();
            return;
        }

        if (!_limiter.TryAcquire(remote))
        {
            _runtime.Metrics.ConnectionsClosed.Increment("per-ip-limit");
            if (_limitLogThrottle.TryEnter(out var suppressed))
            {
                _runtime.Logger.PerIpLimitReached(remote, _definition.Name, _limiter.Limit, suppressed);
            }

            socket.Dispose();
            return;
        }

        try
        {
            socket.NoDelay = true;
        }
        catch
        {
            _limiter.Release(remote);
            throw;
        }

        _runtime.ConnectionOpened();
        _runtime.Tasks.Add(HandleConnectionAsync(socket, remote, stopping));
    }

    private async Task HandleConnectionAsync(Socket socket, IPAddress remote, CancellationToken stopping)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        var running = false;
        try
        {
            TlsSessionInfo? session = null;
            if (_tls is not null)
            {
                var handshake = await HandshakeAsync(stream, remote, stopping);
                if (handshake is null)
                {
                    return;
                }

                (stream, session) = handshake.Value;
            }

            var flow = new StreamFlow(_runtime, _definition.Transport, socket, stream, session, _definition.Name, outboundKey: null);
            running = true;
            await _runtime.RunConnectionAsync(flow, () => _limiter.Release(remote), stopping);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The socket died before the flow existed (e.g. RemoteEndPoint of a reset connection).
        }
        finally
        {
            await stream.DisposeAsync();
            if (!running)
            {
                _limiter.Release(remote);
                _runtime.ConnectionClosed();
            }
        }
    }

    /// <summary>The TLS stream and session, or null when the handshake was refused (counted and logged) or cancelled.</summary>
    private async Task<(Stream Stream, TlsSessionInfo Session)?> HandshakeAsync(Stream inner, IPAddress remote, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(_runtime.Settings.HandshakeTimeout, _runtime.Time);
        using var stopRegistration = stopping.UnsafeRegister(static cts => ((CancellationTokenSource)cts!).Cancel(), timeout);
        var result = await _tls!.AuthenticateAsServerAsync(inner, _definition.ClientCertificate, timeout.Token);
        if (result.Failure is { } failure)
        {
            if (!stopping.IsCancellationRequested)
            {
                // Counted and logged before the socket closes, so whoever sees the close also sees the count.
                Refused(remote, failure, result.Detail, result.PeerSubject);
            }

            await result.Stream.DisposeAsync();
            return null;
        }

        return (result.Stream, result.Session!);
    }

    private void Refused(IPAddress remote, HandshakeFailureReason reason, string? detail, string? subject)
    {
        var label = reason.ToLabel();
        _runtime.Metrics.TlsHandshakeFailures.Increment(label);
        _runtime.Logger.HandshakeRefused(remote, _definition.Name, label, detail, subject);
    }
}
