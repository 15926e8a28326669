namespace SipTrunk.Testing.Media;

/// <summary>What a UDP payload looks like (see <see cref="RtpPacketClassifier"/>).</summary>
public enum RtpPacketKind
{
    /// <summary>Not version 2, too short, or not a plausible RTP payload type.</summary>
    NotRtp,

    /// <summary>An RTP (or SRTP) packet: version 2, payload type 0/8 or dynamic (96–127).</summary>
    Rtp,

    /// <summary>An RTCP (or SRTCP) packet: version 2, packet type 200–204 (RFC 5761 §4 tells them apart the same way).</summary>
    Rtcp,
}
