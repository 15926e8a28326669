using System.Net;

namespace SipTrunk.Testing.Media;

/// <summary>The UDP packets of one direction (source → destination) read as an RTP stream (see <see cref="RtpPacketClassifier.Summarize"/>).</summary>
/// <param name="Source">Sender.</param>
/// <param name="Destination">Receiver.</param>
/// <param name="Packets">Every UDP packet in this direction.</param>
/// <param name="RtpPackets">Those that are RTP (or SRTP).</param>
/// <param name="RtcpPackets">Those that are RTCP (or SRTCP).</param>
/// <param name="G711Packets">RTP packets with payload type 0 or 8: the audio the verdicts are about.</param>
/// <param name="PlainPackets">G.711 packets both signals call plain.</param>
/// <param name="EncryptedPackets">G.711 packets both signals call encrypted.</param>
/// <param name="PayloadTypes">RTP payload types seen.</param>
/// <param name="Ssrcs">RTP SSRCs seen.</param>
/// <param name="PayloadLengths">RTP payload lengths (after the header) seen, with their counts.</param>
/// <param name="PayloadEntropy">Entropy of all G.711 payload bytes together, in bits per byte.</param>
public sealed record RtpStreamSummary(
    IPEndPoint Source,
    IPEndPoint Destination,
    int Packets,
    int RtpPackets,
    int RtcpPackets,
    int G711Packets,
    int PlainPackets,
    int EncryptedPackets,
    IReadOnlySet<int> PayloadTypes,
    IReadOnlySet<uint> Ssrcs,
    IReadOnlyDictionary<int, int> PayloadLengths,
    double PayloadEntropy)
{
    /// <summary>
    /// <see cref="RtpPayloadVerdict.Encrypted"/> when every G.711 packet is encrypted and the stream's entropy reaches
    /// <see cref="RtpPacketClassifier.StreamEntropyThreshold"/>; <see cref="RtpPayloadVerdict.Plain"/> when every one is plain
    /// and it stays under; otherwise (or with no G.711 packet) <see cref="RtpPayloadVerdict.Inconclusive"/>.
    /// </summary>
    public RtpPayloadVerdict Verdict => G711Packets == 0
        ? RtpPayloadVerdict.Inconclusive
        : EncryptedPackets == G711Packets && PayloadEntropy >= RtpPacketClassifier.StreamEntropyThreshold
            ? RtpPayloadVerdict.Encrypted
            : PlainPackets == G711Packets && PayloadEntropy < RtpPacketClassifier.StreamEntropyThreshold
                ? RtpPayloadVerdict.Plain
                : RtpPayloadVerdict.Inconclusive;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Source} -> {Destination}: {Packets} packets, {RtpPackets} RTP ({G711Packets} G.711: {PlainPackets} plain, {EncryptedPackets} encrypted), "
        + $"{RtcpPackets} RTCP, payload types [{string.Join(',', PayloadTypes)}], payload lengths "
        + $"[{string.Join(", ", PayloadLengths.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}×{pair.Value}"))}], "
        + $"entropy {PayloadEntropy:0.00} bits/byte: {Verdict}";

    /// <summary>Accumulates one direction's packets.</summary>
    internal sealed class Builder(IPEndPoint source, IPEndPoint destination)
    {
        private readonly int[] _byteCounts = new int[256];
        private readonly HashSet<int> _payloadTypes = [];
        private readonly HashSet<uint> _ssrcs = [];
        private readonly Dictionary<int, int> _payloadLengths = [];
        private long _g711Bytes;
        private int _packets;
        private int _rtp;
        private int _rtcp;
        private int _g711;
        private int _plain;
        private int _encrypted;

        public void Add(ReadOnlySpan<byte> udpPayload, RtpPacketInfo info)
        {
            _packets++;
            if (info.Kind == RtpPacketKind.Rtcp)
            {
                _rtcp++;
                return;
            }

            if (info.Kind != RtpPacketKind.Rtp)
            {
                return;
            }

            _rtp++;
            _payloadTypes.Add(info.PayloadType);
            _ssrcs.Add(info.Ssrc);
            _payloadLengths[info.PayloadLength] = _payloadLengths.GetValueOrDefault(info.PayloadLength) + 1;
            if (!info.IsG711)
            {
                return;
            }

            _g711++;
            _plain += info.Verdict == RtpPayloadVerdict.Plain ? 1 : 0;
            _encrypted += info.Verdict == RtpPayloadVerdict.Encrypted ? 1 : 0;
            foreach (var value in udpPayload[info.HeaderLength..])
            {
                _byteCounts[value]++;
            }

            _g711Bytes += info.PayloadLength;
        }

        public RtpStreamSummary Build() => new(
            source,
            destination,
            _packets,
            _rtp,
            _rtcp,
            _g711,
            _plain,
            _encrypted,
            _payloadTypes,
            _ssrcs,
            _payloadLengths,
            RtpPacketClassifier.Entropy(_byteCounts, _g711Bytes));
    }
}
