namespace SipTrunk.Core.Media.Srtp;

/// <summary>SRTCP state of one SSRC (RFC 3711 §3.4): the next 31-bit index to send and the receiver's replay window.</summary>
internal struct SrtpRtcpStream
{
    /// <summary>A packet of this SSRC was protected.</summary>
    public bool Sent;

    /// <summary>The SRTCP index of the next packet to protect (0 for the first, §3.4).</summary>
    public uint NextIndex;

    /// <summary>The receiver's replay window over SRTCP indexes.</summary>
    public SrtpReplayWindow Window;
}
