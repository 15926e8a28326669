namespace SipTrunk.Testing.Media;

/// <summary>Whether an RTP payload carries plain G.711 audio or ciphertext (see <see cref="RtpPacketClassifier"/>).</summary>
public enum RtpPayloadVerdict
{
    /// <summary>The signal cannot tell (not G.711, too short) or the signals disagree.</summary>
    Inconclusive,

    /// <summary>Plain audio: whole 10 ms G.711 frames and the low byte entropy of a test tone.</summary>
    Plain,

    /// <summary>Ciphertext: frames plus an SRTP authentication tag, and near-random bytes.</summary>
    Encrypted,
}
