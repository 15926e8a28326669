using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>
/// The transaction user (the proxy core) above the transaction layer. Callbacks arrive on transport or timer threads;
/// implementations must not block and must not throw.
/// </summary>
public interface ITransactionUser
{
    /// <summary>
    /// A new request created a server transaction (every method except ACK; CANCEL gets its own non-INVITE server
    /// transaction, see <see cref="TransactionLayer.FindInviteServerTransaction"/>). Retransmissions never reach here,
    /// nor do malformed requests (the layer answers them). An INVITE has already been answered with 100 Trying.
    /// </summary>
    void OnRequest(ServerTransaction transaction);

    /// <summary>
    /// The ACK for a 2xx, forwarded end to end (RFC 3261 §16): an ACK that matched no server transaction, or matched an
    /// INVITE server transaction in the RFC 6026 Accepted state. ACKs for non-2xx responses are absorbed by the layer.
    /// </summary>
    void OnAck(SipRequest ack, SipFlow flow);

    /// <summary>A response that matched no client transaction (RFC 3261 §16.7 stateless forwarding candidate).</summary>
    void OnStrayResponse(SipResponse response, SipFlow flow);
}
