namespace SipTrunk.Core.Media;

/// <summary>One direction of a <see cref="RelayStream"/>, as counted so far (a snapshot).</summary>
public sealed record RelayStreamStats
{
    /// <summary>Packets (RTP and RTCP) received and forwarded.</summary>
    public long Packets { get; init; }

    /// <summary>Bytes of those packets as received (headers included, UDP/IP excluded).</summary>
    public long Bytes { get; init; }

    /// <summary>RTP packets lost, from sequence-number gaps (RFC 3550 A.3; never negative).</summary>
    public long Lost { get; init; }

    /// <summary>Interarrival jitter in milliseconds (RFC 3550 A.8).</summary>
    public double JitterMs { get; init; }

    /// <summary>Packets dropped because their SRTP/SRTCP tag did not verify.</summary>
    public long AuthenticationFailures { get; init; }

    /// <summary>Packets dropped as replays.</summary>
    public long Replayed { get; init; }

    /// <summary>Packets dropped for any other reason (malformed, from a non-latched source, stream inactive, no target).</summary>
    public long Dropped { get; init; }
}
