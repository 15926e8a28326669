using System.Buffers.Binary;

namespace SipTrunk.Core.Tests.Media;

/// <summary>RTP and RTCP packets to feed the relay.</summary>
internal static class RtpPackets
{
    /// <summary>An RTP packet (RFC 3550 §5.1): version 2, PCMU, a 160-byte payload marked with <paramref name="seq"/>.</summary>
    public static byte[] Rtp(ushort seq, uint timestamp = 0, uint ssrc = 0x1234_5678, int payloadLength = 160)
    {
        var packet = new byte[12 + payloadLength];
        packet[0] = 0x80;
        packet[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (var i = 12; i < packet.Length; i++)
        {
            packet[i] = (byte)(seq + i);
        }

        return packet;
    }

    /// <summary>An RTCP receiver report with no report blocks (RFC 3550 §6.4.2): 8 bytes, packet type 201.</summary>
    public static byte[] Rtcp(uint ssrc = 0x1234_5678)
    {
        var packet = new byte[8];
        packet[0] = 0x80;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        return packet;
    }

    public static ushort Sequence(byte[] rtp) => BinaryPrimitives.ReadUInt16BigEndian(rtp.AsSpan(2));
}
