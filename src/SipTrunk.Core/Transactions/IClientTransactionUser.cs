using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>What a client transaction reports to whoever started it. Must not block and must not throw.</summary>
public interface IClientTransactionUser
{
    /// <summary>
    /// A response: every provisional, the final one, and for INVITE every 2xx (also retransmissions and 2xx from other
    /// forks while in the RFC 6026 Accepted state). Non-2xx final responses are reported once; the layer ACKs them.
    /// </summary>
    void OnResponse(ClientTransaction transaction, SipResponse response);

    /// <summary>Timer B or F fired: no final response in 64·T1.</summary>
    void OnTimeout(ClientTransaction transaction);

    /// <summary>The request could not be sent (flow closed or send queue full), RFC 3261 §17.1.4.</summary>
    void OnTransportError(ClientTransaction transaction);
}
