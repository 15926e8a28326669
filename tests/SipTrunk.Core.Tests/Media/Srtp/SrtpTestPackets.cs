using System.Buffers.Binary;
using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Core.Tests.Media.Srtp;

/// <summary>Hex parsing and RTP/RTCP packet builders for the SRTP tests.</summary>
internal static class SrtpTestPackets
{
    // The shape of SrtpContext's four packet methods.
    private delegate SrtpResult PacketOperation(ReadOnlySpan<byte> packet, Span<byte> output, out int written);

    /// <summary>Hex as the RFCs print it: whitespace between groups ignored.</summary>
    public static byte[] Hex(string text) => Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>An RTP packet: version 2, payload type 0, the given CSRCs, extension words and padding.</summary>
    public static byte[] Rtp(
        ushort sequence,
        uint ssrc,
        int payloadLength = 160,
        int csrcCount = 0,
        int extensionWords = -1,
        int padding = 0,
        byte fill = 0)
    {
        var headerLength = 12 + (4 * csrcCount) + (extensionWords >= 0 ? 4 + (4 * extensionWords) : 0);
        var packet = new byte[headerLength + payloadLength + padding];
        packet[0] = (byte)(0x80 | (padding > 0 ? 0x20 : 0) | (extensionWords >= 0 ? 0x10 : 0) | csrcCount);
        packet[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)sequence * 160);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (var i = 0; i < csrcCount; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12 + (4 * i)), 0xC5C00000u + (uint)i);
        }

        if (extensionWords >= 0)
        {
            var at = 12 + (4 * csrcCount);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 2), (ushort)extensionWords);
            packet.AsSpan(at + 4, 4 * extensionWords).Fill(0xE7);
        }

        for (var i = 0; i < payloadLength; i++)
        {
            packet[headerLength + i] = (byte)(fill + sequence + i);
        }

        if (padding > 0)
        {
            packet[^1] = (byte)padding;
        }

        return packet;
    }

    /// <summary>An RTCP sender report (28 bytes) from <paramref name="ssrc"/>, <paramref name="marker"/> in its octet count.</summary>
    public static byte[] RtcpSenderReport(uint ssrc, uint marker = 0)
    {
        var packet = Hex("80c80006 00000000 83abe1d2 0c49ba5e 0001e240 00000064 00000000");
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(24), marker);
        return packet;
    }

    /// <summary>Protects and asserts success; the protected bytes.</summary>
    public static byte[] Protect(this SrtpContext context, byte[] packet) => Protect(context.ProtectRtp, packet, context.RtpOverhead);

    /// <summary>Unprotects; the result, and the plaintext when it succeeded.</summary>
    public static (SrtpResult Result, byte[] Plain) Unprotect(this SrtpContext context, byte[] packet) => Unprotect(context.UnprotectRtp, packet);

    /// <summary>Protects an RTCP packet and asserts success.</summary>
    public static byte[] ProtectControl(this SrtpContext context, byte[] packet) => Protect(context.ProtectRtcp, packet, context.RtcpOverhead);

    /// <summary>Unprotects an SRTCP packet.</summary>
    public static (SrtpResult Result, byte[] Plain) UnprotectControl(this SrtpContext context, byte[] packet) => Unprotect(context.UnprotectRtcp, packet);

    private static byte[] Protect(PacketOperation protect, byte[] packet, int overhead)
    {
        var output = new byte[packet.Length + overhead];
        Assert.Equal(SrtpResult.Ok, protect(packet, output, out var written));
        Assert.Equal(output.Length, written);
        return output;
    }

    private static (SrtpResult Result, byte[] Plain) Unprotect(PacketOperation unprotect, byte[] packet)
    {
        var output = new byte[packet.Length];
        var result = unprotect(packet, output, out var written);
        return (result, output[..written]);
    }
}
