namespace SipTrunk.Core.Transactions;

/// <summary>What an INVITE server transaction did with an ACK that matched it (RFC 3261 §17.2.1, RFC 6026 §7.1).</summary>
internal enum AckDisposition
{
    /// <summary>A retransmitted or out-of-place ACK: absorbed.</summary>
    Absorbed,

    /// <summary>The ACK for the transaction's non-2xx final response: Completed moved to Confirmed.</summary>
    Confirmed,

    /// <summary>An ACK for a 2xx (the transaction is Accepted): the transaction user forwards it.</summary>
    ForUser,
}
