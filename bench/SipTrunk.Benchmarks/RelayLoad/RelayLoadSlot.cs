using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Benchmarks.RelayLoad;

/// <summary>One direction of one stream as the generator plays it: its RTP header state and its two SRTP contexts.</summary>
internal sealed class RelayLoadSlot : IDisposable
{
    private ushort _sequence;
    private uint _timestamp;

    public RelayLoadSlot(Socket from, SocketAddress target, uint ssrc, SrtpContext? protect, SrtpContext? unprotect)
    {
        From = from;
        Target = target;
        Ssrc = ssrc;
        Protect = protect;
        Unprotect = unprotect;
        _sequence = (ushort)ssrc;
    }

    public Socket From { get; }

    public SocketAddress Target { get; }

    public uint Ssrc { get; }

    /// <summary>The sender's key (the relay's Decrypt of this hop); null in passthrough.</summary>
    public SrtpContext? Protect { get; }

    /// <summary>The receiver's key (the relay's Encrypt toward it); null in passthrough.</summary>
    public SrtpContext? Unprotect { get; }

    /// <summary>Writes the next RTP header (RFC 3550 §5.1, PCMU, 20 ms of 8 kHz per packet) and clears the payload.</summary>
    public void Fill(Span<byte> packet)
    {
        packet.Clear();
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], _sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], _timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], Ssrc);
        _timestamp += 160;
    }

    public void Dispose()
    {
        Protect?.Dispose();
        Unprotect?.Dispose();
    }
}
