namespace SipTrunk.Testing.Media;

/// <summary>One UDP payload read as RTP by <see cref="RtpPacketClassifier.Classify"/>.</summary>
/// <param name="Kind">RTP, RTCP or neither; the other fields are 0 for neither.</param>
/// <param name="PayloadType">The RTP payload type (7 bits), or the RTCP packet type (200–204).</param>
/// <param name="SequenceNumber">The RTP sequence number.</param>
/// <param name="Ssrc">The RTP (or RTCP sender's) SSRC.</param>
/// <param name="HeaderLength">Fixed header, CSRCs and header extension (RFC 3550 §5.1, §5.3.1); SRTP leaves it in clear.</param>
/// <param name="PayloadLength">Everything after the header: audio, plus the authentication tag for SRTP.</param>
/// <param name="PayloadEntropy">Shannon entropy of the payload bytes, in bits per byte.</param>
/// <param name="LengthVerdict">What the payload length says (G.711 only, see <see cref="RtpPacketClassifier"/>).</param>
/// <param name="EntropyVerdict">What the payload entropy says (payloads of 128 bytes or more only).</param>
public sealed record RtpPacketInfo(
    RtpPacketKind Kind,
    int PayloadType,
    ushort SequenceNumber,
    uint Ssrc,
    int HeaderLength,
    int PayloadLength,
    double PayloadEntropy,
    RtpPayloadVerdict LengthVerdict,
    RtpPayloadVerdict EntropyVerdict)
{
    /// <summary>Both signals agree: that verdict; otherwise <see cref="RtpPayloadVerdict.Inconclusive"/>.</summary>
    public RtpPayloadVerdict Verdict => LengthVerdict == EntropyVerdict ? LengthVerdict : RtpPayloadVerdict.Inconclusive;

    /// <summary>Payload type 0 (PCMU) or 8 (PCMA) on an RTP packet.</summary>
    public bool IsG711 => Kind == RtpPacketKind.Rtp && PayloadType is 0 or 8;
}
