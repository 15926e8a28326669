using System.Net;
using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Core.Media;

/// <summary>
/// What one leg of a <see cref="RelayStream"/> knows of its party from the SDP: where to send before latching, whether
/// RTCP is multiplexed, and the SRTP contexts. <see cref="Decrypt"/> unprotects what the party sends (its own SDP key);
/// <see cref="Encrypt"/> protects what SipTrunk sends it (the key SipTrunk wrote in the SDP to it). Both null: packets
/// pass byte for byte (plain RTP, or SRTP in passthrough mode).
/// </summary>
public sealed record RelayLegMedia
{
    /// <summary>The party's RTP address from its SDP (<see langword="null"/>: not known yet).</summary>
    public IPEndPoint? RtpTarget { get; init; }

    /// <summary>The party's RTCP address (<c>a=rtcp</c>, else RTP port + 1); unused with <see cref="RtcpMux"/>.</summary>
    public IPEndPoint? RtcpTarget { get; init; }

    /// <summary>RTP and RTCP share the RTP port on this leg (RFC 5761).</summary>
    public bool RtcpMux { get; init; }

    /// <summary>Unprotects packets from the party; <see langword="null"/> when it sends plain RTP (or in passthrough).</summary>
    public SrtpContext? Decrypt { get; init; }

    /// <summary>Protects packets to the party; <see langword="null"/> when it receives plain RTP (or in passthrough).</summary>
    public SrtpContext? Encrypt { get; init; }

    /// <summary>RTP clock rate of the stream's first format, for interarrival jitter (RFC 3550 A.8).</summary>
    public int ClockRate { get; init; } = 8000;

    /// <summary>False when the stream is declined (port 0): packets are dropped both ways.</summary>
    public bool Active { get; init; } = true;
}
