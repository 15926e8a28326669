using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Core.Transport;

/// <summary>Opens one outbound TCP/TLS connection: resolve, connect, TLS handshake as client, all within ConnectTimeout.</summary>
internal sealed class OutboundConnector(TransportRuntime runtime, TlsAuthenticator? tls)
{
    /// <summary>The addresses for <paramref name="host"/>: the literal itself, or an A/AAAA lookup.</summary>
    /// <exception cref="SipTransportException">The name does not resolve.</exception>
    public static async Task<IPAddress[]> ResolveAsync(OutboundTarget target, CancellationToken cancellationToken)
    {
        var host = target.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            return addresses.Length > 0 ? addresses : throw Failure(target, "the name has no address");
        }
        catch (SocketException ex)
        {
            throw Failure(target, $"cannot resolve the name ({ex.SocketErrorCode})", ex);
        }
    }

    /// <summary>A connected flow (not yet running), counted in the connection count.</summary>
    /// <exception cref="SipTransportException">Refused, timed out, or the TLS handshake failed (with the reason).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="stopping"/> fired.</exception>
    public async Task<StreamFlow> ConnectAsync(OutboundTarget target, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(runtime.Settings.ConnectTimeout, runtime.Time);
        using var stopRegistration = stopping.UnsafeRegister(static cts => ((CancellationTokenSource)cts!).Cancel(), timeout);
        try
        {
            var addresses = await ResolveAsync(target, timeout.Token);
            var socket = await ConnectSocketAsync(target, addresses, timeout.Token);
            runtime.ConnectionOpened();
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            var opened = false;
            try
            {
                TlsSessionInfo? session = null;
                if (target.Transport == SipTransportKind.Tls)
                {
                    (stream, session) = await HandshakeAsync(target, stream, timeout.Token, stopping);
                }

                var flow = new StreamFlow(runtime, target.Transport, socket, stream, session, listenerName: null, target.Key);
                opened = true;
                return flow;
            }
            finally
            {
                if (!opened)
                {
                    await stream.DisposeAsync();
                    runtime.ConnectionClosed();
                }
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            throw Failure(target, $"timeout (no connection within {runtime.Settings.ConnectTimeout})");
        }
    }

    private async Task<(Stream Stream, TlsSessionInfo Session)> HandshakeAsync(
        OutboundTarget target, Stream inner, CancellationToken timeout, CancellationToken stopping)
    {
        if (tls is null)
        {
            throw Failure(target, "TLS is not configured (no TlsSettings)");
        }

        var result = await tls.AuthenticateAsClientAsync(inner, target, timeout);
        if (result.Failure is not { } failure)
        {
            return (result.Stream, result.Session!);
        }

        await result.Stream.DisposeAsync();
        stopping.ThrowIfCancellationRequested();
        if (failure == HandshakeFailureReason.Timeout)
        {
            throw new OperationCanceledException(timeout);
        }

        runtime.Metrics.TlsHandshakeFailures.Increment(failure.ToLabel());
        var what = failure == HandshakeFailureReason.Protocol ? "TLS handshake failed" : "certificate";
        throw new SipTransportException($"{Describe(target)}: {what}: {result.Detail}", failure);
    }

    private static async Task<Socket> ConnectSocketAsync(OutboundTarget target, IPAddress[] addresses, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, target.Port), cancellationToken);
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                throw;
            }
        }

        var reason = last?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.TimedOut => "timeout",
            { } error => $"connect failed ({error})",
            null => "no address to connect to",
        };
        throw Failure(target, reason, last);
    }

    private static SipTransportException Failure(OutboundTarget target, string reason, Exception? inner = null) =>
        new($"{Describe(target)}: {reason}", inner);

    private static string Describe(OutboundTarget target) =>
        $"{target.Key} ({TransportRuntime.Label(target.Transport)}:{target.Host}:{target.Port})";
}
