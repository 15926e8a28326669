using System.Net;

namespace SipTrunk.Core.Transport;

/// <summary>
/// One SIP flow (RFC 5626 §3): a TCP/TLS connection, or a UDP (local socket, remote address) pair. Responses and
/// requests toward a peer go down the flow it opened, never to the addresses it advertises (ARCHITECTURE.md).
/// </summary>
public abstract class SipFlow
{
    /// <summary>Creates a flow.</summary>
    protected SipFlow(long id, SipTransportKind transport, IPEndPoint localEndPoint, IPEndPoint remoteEndPoint)
    {
        Id = id;
        Transport = transport;
        LocalEndPoint = localEndPoint;
        RemoteEndPoint = remoteEndPoint;
    }

    /// <summary>Process-unique, never reused: the key the proxy encodes in Record-Route/Via to find this flow again.</summary>
    public long Id { get; }

    public SipTransportKind Transport { get; }

    public IPEndPoint LocalEndPoint { get; }

    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>TCP and TLS are reliable; retransmission timers (A, E, G) run only on UDP (RFC 3261 §17).</summary>
    public bool IsReliable => Transport != SipTransportKind.Udp;

    /// <summary>The TLS session, for TLS flows once the handshake has finished; otherwise null.</summary>
    public TlsSessionInfo? Tls { get; protected init; }

    /// <summary>For flows accepted on a listener: the listener's configured name; null for outbound flows.</summary>
    public string? ListenerName { get; protected init; }

    /// <summary>For outbound flows: the key they were opened for (e.g. the carrier name); null for inbound flows.</summary>
    public string? OutboundKey { get; protected init; }

    /// <summary>True once the flow is closed; a closed flow never reopens (a reconnect is a new flow).</summary>
    public abstract bool IsClosed { get; }

    /// <summary>
    /// Queues one complete SIP message (or a keep-alive) for sending, without blocking. Returns false when the flow is
    /// closed or its send queue is full: callers treat that as a transport error (RFC 3261 §17.1.4). The caller must
    /// not modify <paramref name="message"/> afterwards.
    /// </summary>
    public abstract bool TrySend(ReadOnlyMemory<byte> message);

    /// <summary>Closes the flow (idempotent); <see cref="ISipMessageSink.OnFlowClosed"/> follows.</summary>
    public abstract void Close(string reason);

    /// <inheritdoc/>
    public override string ToString() => $"{Transport.ToString().ToUpperInvariant()} {RemoteEndPoint} (flow {Id})";
}
