namespace SipTrunk.Core.Transactions;

/// <summary>The states of the four RFC 3261 §17 state machines, plus RFC 6026's Accepted.</summary>
public enum TransactionState
{
    /// <summary>Client INVITE: request sent, nothing received.</summary>
    Calling,

    /// <summary>Client non-INVITE before any response; server non-INVITE before any response was sent.</summary>
    Trying,

    /// <summary>A provisional response was received (client) or sent (server).</summary>
    Proceeding,

    /// <summary>A final (non-2xx for INVITE) response was received or sent.</summary>
    Completed,

    /// <summary>Server INVITE: the ACK for a non-2xx final response arrived.</summary>
    Confirmed,

    /// <summary>RFC 6026: a 2xx to an INVITE was received or sent; retransmissions and other 2xx still flow.</summary>
    Accepted,

    /// <summary>Gone from the transaction table.</summary>
    Terminated,
}
