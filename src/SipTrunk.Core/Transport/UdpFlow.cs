using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Core.Transport;

/// <summary>
/// A UDP flow (RFC 5626 §3): one local socket and one remote address. The remote cannot close it; it lasts until
/// <see cref="Close"/> or until its socket stops.
/// </summary>
internal sealed class UdpFlow : SipFlow
{
    private readonly UdpSocketTransport _owner;
    private int _closed;

    public UdpFlow(long id, UdpSocketTransport owner, IPEndPoint remoteEndPoint, SocketAddress address)
        : base(id, SipTransportKind.Udp, owner.LocalEndPoint, remoteEndPoint)
    {
        _owner = owner;
        Address = address;
        ListenerName = owner.ListenerName;
    }

    /// <summary>The remote address in the socket's own form (IPv4-mapped on a dual-stack socket), for sending.</summary>
    public SocketAddress Address { get; }

    /// <summary>The <see cref="TimeProvider"/> timestamp of the last datagram admitted from the remote (or of creation).</summary>
    public long LastReceived { get; set; }

    public override bool IsClosed => Volatile.Read(ref _closed) != 0 || _owner.IsStopped;

    public override bool TrySend(ReadOnlyMemory<byte> message) => !IsClosed && _owner.TryEnqueue(this, message);

    /// <summary>Closes the flow; unlike connections, the sink is told synchronously (there is no loop to finish).</summary>
    public override void Close(string reason)
    {
        if (MarkClosed())
        {
            _owner.Forget(this);
        }
    }

    /// <summary>Sets the closed flag; true for the caller that closed it.</summary>
    internal bool MarkClosed() => Interlocked.Exchange(ref _closed, 1) == 0;
}
