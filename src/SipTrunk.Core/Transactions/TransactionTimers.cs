namespace SipTrunk.Core.Transactions;

/// <summary>RFC 3261 §17.1.1.1 timer values; every other timer (A–M) derives from these.</summary>
/// <param name="T1">RTT estimate, 500 ms by default.</param>
/// <param name="T2">Maximum retransmit interval for non-INVITE requests and INVITE responses, 4 s by default.</param>
/// <param name="T4">Maximum time a message stays in the network, 5 s by default.</param>
public sealed record TransactionTimers(TimeSpan T1, TimeSpan T2, TimeSpan T4)
{
    /// <summary>The RFC 3261 defaults.</summary>
    public static TransactionTimers Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));

    /// <summary>64·T1: Timers B, F, H, J (unreliable), L and M.</summary>
    public TimeSpan TransactionTimeout => T1 * 64;
}
