namespace SipTrunk.Configuration;

/// <summary>
/// <c>Timers</c>: the RFC 3261 §17.1.1.1 base timers every transaction timer (A–M) is derived from. The defaults are the
/// RFC's; a carrier network with long round trips may need a larger T1.
/// </summary>
internal sealed record TimersOptions
{
    /// <summary>T1, the round-trip estimate: 500 ms.</summary>
    public int T1Milliseconds { get; init; } = 500;

    /// <summary>T2, the longest retransmit interval for non-INVITE requests and INVITE responses: 4 s.</summary>
    public int T2Milliseconds { get; init; } = 4000;

    /// <summary>T4, the longest time a message stays in the network: 5 s.</summary>
    public int T4Milliseconds { get; init; } = 5000;
}
