using System.Net;

namespace SipTrunk.Core.Media;

/// <summary>One side of a <see cref="RelayStream"/>: the RTP/RTCP socket pair SipTrunk advertises to one party.</summary>
public sealed class RelayLeg
{
    // STUB: the relay helper owns this type's implementation.
    internal RelayLeg(int rtpPort) => RtpPort = rtpPort;

    /// <summary>The local RTP port (even); written into the SDP sent to this leg's party.</summary>
    public int RtpPort { get; }

    /// <summary>The local RTCP port (<see cref="RtpPort"/> + 1).</summary>
    public int RtcpPort => RtpPort + 1;

    /// <summary>The party's RTP source once latched (RFC 4961); <see langword="null"/> before the first valid packet.</summary>
    public IPEndPoint? LatchedRtp => RtpPort < 0 ? null : null;

    /// <summary>The media settings now in force (safe to read from any thread).</summary>
    public RelayLegMedia Media { get; private set; } = new();

    /// <summary>Replaces the leg's settings (new SDP); takes effect for the next packet. A changed target address resets latching.</summary>
    public void Configure(RelayLegMedia media) => Media = media;
}
