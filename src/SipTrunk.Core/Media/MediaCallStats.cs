namespace SipTrunk.Core.Media;

/// <summary>
/// A call's media as the call record shows it (CONTRACT.md §5 <c>media</c>). <c>In</c> counts what flowed from the
/// carrier toward the peer, <c>Out</c> what flowed from the peer toward the carrier, whichever side called.
/// </summary>
public sealed record MediaCallStats
{
    /// <summary><c>rekey</c>, <c>passthrough</c>, <c>bridge</c> (SRTP on one leg, RTP on the other) or <c>rtp</c> (plain both legs).</summary>
    public required string Mode { get; init; }

    /// <summary>The SRTP suite on the peer's leg (or the carrier's when the peer's is plain); null when no leg is SRTP.</summary>
    public string? SrtpSuite { get; init; }

    /// <summary>The SRTP suite on the peer's leg, null when plain.</summary>
    public string? PeerSrtpSuite { get; init; }

    /// <summary>The SRTP suite on the carrier's leg, null when plain.</summary>
    public string? CarrierSrtpSuite { get; init; }

    /// <summary>Packets relayed from the carrier toward the peer.</summary>
    public long PacketsIn { get; init; }

    /// <summary>Packets relayed from the peer toward the carrier.</summary>
    public long PacketsOut { get; init; }

    /// <summary>Bytes received from the carrier's side and relayed.</summary>
    public long BytesIn { get; init; }

    /// <summary>Bytes received from the peer's side and relayed.</summary>
    public long BytesOut { get; init; }

    /// <summary>Packets lost (sequence gaps), both directions.</summary>
    public long PacketsLost { get; init; }

    /// <summary>Packets lost from the carrier toward the peer.</summary>
    public long PacketsLostIn { get; init; }

    /// <summary>Packets lost from the peer toward the carrier.</summary>
    public long PacketsLostOut { get; init; }

    /// <summary>The worse direction's interarrival jitter in milliseconds.</summary>
    public double JitterMs { get; init; }

    /// <summary>Interarrival jitter of what came from the carrier's side, in milliseconds (RFC 3550 A.8).</summary>
    public double JitterInMs { get; init; }

    /// <summary>Interarrival jitter of what came from the peer's side, in milliseconds.</summary>
    public double JitterOutMs { get; init; }

    /// <summary>Packets dropped because their SRTP tag did not verify, both directions.</summary>
    public long AuthenticationFailures { get; init; }

    /// <summary>One line for the call's log entry (no key material exists here to leak).</summary>
    public string Describe() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{Mode} {SrtpSuite ?? "RTP"} in {PacketsIn} out {PacketsOut} lost {PacketsLost} jitter {JitterMs} ms auth-failures {AuthenticationFailures}");
}
