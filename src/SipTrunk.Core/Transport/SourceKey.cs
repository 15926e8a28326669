using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Core.Transport;

/// <summary>
/// A source IP address as one 128-bit value (IPv4 in its IPv4-mapped IPv6 form), so that the per-datagram rate check
/// reads the receive loop's <see cref="SocketAddress"/> without allocating an <see cref="IPAddress"/>.
/// </summary>
internal readonly record struct SourceKey(UInt128 Value)
{
    // ::ffff:0:0/96 (RFC 4291 §2.5.5.2): the upper 96 bits of every IPv4 address in the mapped form.
    private static readonly UInt128 MappedPrefix = new(0, 0x0000_FFFF_0000_0000);

    public static SourceKey From(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes[12..], out _);
            return new SourceKey(MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));
        }

        address.TryWriteBytes(bytes, out _);
        return new SourceKey(BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    /// <summary>The key of a raw socket address (sockaddr_in: address at offset 4; sockaddr_in6: at offset 8).</summary>
    public static SourceKey From(SocketAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var buffer = address.Buffer.Span;
        return address.Family == AddressFamily.InterNetwork
            ? new SourceKey(MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(4, 4)))
            : new SourceKey(BinaryPrimitives.ReadUInt128BigEndian(buffer.Slice(8, 16)));
    }

    /// <summary>The address (IPv4-mapped keys as plain IPv4, as bans and logs use them); allocates, so only for rare events.</summary>
    public IPAddress ToAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Value);
        var address = new IPAddress(bytes);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
