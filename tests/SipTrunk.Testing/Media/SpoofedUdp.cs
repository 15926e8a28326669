using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Testing.Media;

/// <summary>
/// Sends a UDP datagram with a source address and port of the test's choosing, through a raw IPv4 socket (root only):
/// an attacker on the path forging packets as if from a call's party.
/// </summary>
public static class SpoofedUdp
{
    private const int IPv4HeaderLength = 20;
    private const int UdpHeaderLength = 8;

    /// <summary>Sends <paramref name="payload"/> from <paramref name="source"/> to <paramref name="destination"/> (IPv4).</summary>
    public static void Send(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var packet = new byte[IPv4HeaderLength + UdpHeaderLength + payload.Length];
        var ip = packet.AsSpan(0, IPv4HeaderLength);
        ip[0] = 0x45; // version 4, 5 words of header
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)packet.Length);
        ip[8] = 64; // TTL
        ip[9] = (byte)ProtocolType.Udp;
        source.Address.TryWriteBytes(ip[12..16], out _);
        destination.Address.TryWriteBytes(ip[16..20], out _);
        // raw(7): with IPPROTO_RAW (IP_HDRINCL) the kernel fills in the header checksum and packet id.
        var udp = packet.AsSpan(IPv4HeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)destination.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(UdpHeaderLength + payload.Length));
        // A zero UDP checksum means "none" over IPv4 (RFC 768).
        payload.CopyTo(udp[UdpHeaderLength..]);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw);
        socket.SendTo(packet, new IPEndPoint(destination.Address, 0));
    }
}
