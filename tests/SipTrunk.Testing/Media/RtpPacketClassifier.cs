using System.Buffers.Binary;
using System.Net;

namespace SipTrunk.Testing.Media;

/// <summary>
/// Tells, from the bytes on the wire alone, whether UDP packets are RTP and whether their audio is plain G.711 or
/// SRTP ciphertext, with two independent signals that must agree.
/// </summary>
/// <remarks>
/// <para>Length: SRTP leaves the RTP header in clear and appends the authentication tag (RFC 3711 §3.1), so with
/// G.711 (8000 bytes/s, whole 10 ms frames of 80 bytes) a plain payload is a multiple of 80 bytes while an
/// AES_CM_128_HMAC_SHA1_80 one has 10 bytes over (4 for _32): 12 + 160 = 172 vs 12 + 160 + 10 = 182 UDP payload bytes
/// at 20 ms.</para>
/// <para>Entropy: a steady tone in G.711 uses few code words; ciphertext looks random. Measured on baresip 1.0 calls
/// (ausine 440 Hz, PCMU, 20 ms) captured on lo: plain payloads 5.66–5.78 bits/byte per packet (71–76 distinct byte
/// values of 160), 5.82 over a whole stream; SRTP payloads 6.58–6.98 per packet (112–135 distinct of 170), 7.99 over a
/// stream. Hence the thresholds <see cref="PacketEntropyThreshold"/> and <see cref="StreamEntropyThreshold"/>. Speech or
/// noise would not stay under them: the entropy signal is for the test tone.</para>
/// </remarks>
public static class RtpPacketClassifier
{
    /// <summary>Bits per byte at or above which one packet's payload (128 bytes or more) counts as ciphertext.</summary>
    public const double PacketEntropyThreshold = 6.2;

    /// <summary>Bits per byte at or above which a whole stream's payload bytes count as ciphertext.</summary>
    public const double StreamEntropyThreshold = 7.0;

    /// <summary>The shortest payload the entropy signal judges: shorter samples cannot reach the threshold even when random.</summary>
    public const int MinimumEntropyPayload = 128;

    // G.711 is one byte per sample at 8 kHz: 80 bytes per 10 ms, and every ptime in use is a multiple of 10 ms.
    private const int G711FrameBytes = 80;

    /// <summary>Reads one UDP payload as RTP or RTCP and judges its payload.</summary>
    public static RtpPacketInfo Classify(ReadOnlySpan<byte> udpPayload)
    {
        // RFC 3550: version 2 in the top two bits of both RTP and RTCP.
        if (udpPayload.Length < 8 || udpPayload[0] >> 6 != 2)
        {
            return NotRtp;
        }

        // RFC 5761 §4: RTCP packet types 200–204 occupy the byte where RTP has marker + payload type 72–76. An RTCP
        // packet is at least its 8-byte header with the sender's SSRC (RFC 3550 §6.4.2, a receiver report without blocks).
        var secondByte = udpPayload[1];
        if (secondByte is >= 200 and <= 204)
        {
            return new RtpPacketInfo(
                RtpPacketKind.Rtcp, secondByte, 0, BinaryPrimitives.ReadUInt32BigEndian(udpPayload[4..]), 8, udpPayload.Length - 8, 0,
                RtpPayloadVerdict.Inconclusive, RtpPayloadVerdict.Inconclusive);
        }

        // RFC 3550 §5.1: 12 fixed bytes, the SSRC in the last four.
        var payloadType = secondByte & 0x7F;
        if (udpPayload.Length < 12 || payloadType is not (0 or 8 or >= 96))
        {
            return NotRtp;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(udpPayload[8..]);

        var headerLength = 12 + (4 * (udpPayload[0] & 0x0F));
        if ((udpPayload[0] & 0x10) != 0)
        {
            // RFC 3550 §5.3.1: a 4-byte extension header whose second half counts the 32-bit words that follow.
            if (udpPayload.Length < headerLength + 4)
            {
                return NotRtp;
            }

            headerLength += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(udpPayload[(headerLength + 2)..]));
        }

        if (headerLength > udpPayload.Length)
        {
            return NotRtp;
        }

        var payload = udpPayload[headerLength..];
        var entropy = Entropy(payload);
        var lengthVerdict = payloadType is 0 or 8 ? LengthVerdict(payload.Length) : RtpPayloadVerdict.Inconclusive;
        var entropyVerdict = payload.Length < MinimumEntropyPayload
            ? RtpPayloadVerdict.Inconclusive
            : entropy >= PacketEntropyThreshold ? RtpPayloadVerdict.Encrypted : RtpPayloadVerdict.Plain;
        return new RtpPacketInfo(
            RtpPacketKind.Rtp,
            payloadType,
            BinaryPrimitives.ReadUInt16BigEndian(udpPayload[2..]),
            ssrc,
            headerLength,
            payload.Length,
            entropy,
            lengthVerdict,
            entropyVerdict);
    }

    /// <summary>Shannon entropy of <paramref name="data"/> in bits per byte (0 for empty input, at most 8).</summary>
    public static double Entropy(ReadOnlySpan<byte> data)
    {
        Span<int> counts = stackalloc int[256];
        foreach (var value in data)
        {
            counts[value]++;
        }

        return Entropy(counts, data.Length);
    }

    /// <summary>
    /// Groups <paramref name="packets"/> by direction (source → destination), in order of first appearance, and
    /// summarises each as an RTP stream.
    /// </summary>
    public static IReadOnlyList<RtpStreamSummary> Summarize(IEnumerable<CapturedUdpPacket> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        var streams = new List<RtpStreamSummary.Builder>();
        var byDirection = new Dictionary<(IPEndPoint, IPEndPoint), RtpStreamSummary.Builder>();
        foreach (var packet in packets)
        {
            if (!byDirection.TryGetValue((packet.Source, packet.Destination), out var stream))
            {
                stream = new RtpStreamSummary.Builder(packet.Source, packet.Destination);
                byDirection.Add((packet.Source, packet.Destination), stream);
                streams.Add(stream);
            }

            stream.Add(packet.Payload.Span, Classify(packet.Payload.Span));
        }

        return [.. streams.Select(stream => stream.Build())];
    }

    internal static double Entropy(ReadOnlySpan<int> counts, long total)
    {
        if (total == 0)
        {
            return 0;
        }

        var entropy = 0.0;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = (double)count / total;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy;
    }

    private static RtpPacketInfo NotRtp { get; } =
        new(RtpPacketKind.NotRtp, 0, 0, 0, 0, 0, 0, RtpPayloadVerdict.Inconclusive, RtpPayloadVerdict.Inconclusive);

    // RFC 3711 §4.2: the HMAC-SHA1 tag is 80 or 32 bits; nothing else follows the payload in the suites baresip and
    // SipTrunk offer (no MKI).
    private static RtpPayloadVerdict LengthVerdict(int payloadLength) => (payloadLength % G711FrameBytes) switch
    {
        _ when payloadLength == 0 => RtpPayloadVerdict.Inconclusive,
        0 => RtpPayloadVerdict.Plain,
        10 or 4 => RtpPayloadVerdict.Encrypted,
        _ => RtpPayloadVerdict.Inconclusive,
    };
}
