namespace SipTrunk.Core.Media.Srtp;

/// <summary>
/// SRTP state of one SSRC (RFC 3711 §3.2.1): as a sender, the highest index protected (its ROC is the upper 32 bits);
/// as a receiver, the replay window, whose highest index gives ROC and s_l for index estimation (§3.3.1) once it has one.
/// </summary>
internal struct SrtpRtpStream
{
    /// <summary>A packet of this SSRC was protected.</summary>
    public bool Sent;

    /// <summary>The highest index protected (ROC || SEQ).</summary>
    public ulong SentHighest;

    /// <summary>The receiver's replay window.</summary>
    public SrtpReplayWindow Window;
}
