using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Core.Media;

/// <summary>
/// The source address one relay socket has latched onto (RFC 4961 symmetric RTP): where the party's packets come
/// from, and so where the packets toward it go. Immutable; a new latch replaces the old one whole.
/// </summary>
internal sealed class RelayLatch
{
    public RelayLatch(SocketAddress source, int epoch)
    {
        Address = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(Address.Buffer.Span);
        EndPoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(Address);
        Epoch = epoch;
    }

    /// <summary>The source, as the kernel reported it (ready for SendTo).</summary>
    public SocketAddress Address { get; }

    /// <summary>The same source for people.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The <see cref="RelayLegState.Epoch"/> the latch was made in.</summary>
    public int Epoch { get; }

    /// <summary>
    /// Same family, port and address. Compares the fields rather than the whole buffer: an IPv6 source's flow label
    /// may differ from packet to packet and does not make it another party. No allocation.
    /// </summary>
    public bool Matches(SocketAddress source)
    {
        if (source.Family != Address.Family)
        {
            return false;
        }

        // sockaddr_in and sockaddr_in6 share the layout that matters on every platform .NET runs on: port at 2..4, IPv4
        // address at 4..8, IPv6 address at 8..24 followed by the scope id at 24..28.
        var a = source.Buffer.Span;
        var b = Address.Buffer.Span;
        return source.Family switch
        {
            AddressFamily.InterNetwork => a.Slice(2, 6).SequenceEqual(b.Slice(2, 6)),
            AddressFamily.InterNetworkV6 => a.Slice(2, 2).SequenceEqual(b.Slice(2, 2)) && a.Slice(8, 20).SequenceEqual(b.Slice(8, 20)),
            _ => a[..source.Size].SequenceEqual(b[..Address.Size]),
        };
    }
}
