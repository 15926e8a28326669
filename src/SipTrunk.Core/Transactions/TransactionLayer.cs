using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>
/// RFC 3261 §17: matches messages from the transports to transactions (§17.1.3, §17.2.3), runs Timers A–M through a
/// <see cref="TimeProvider"/>, answers malformed requests statelessly (400/416/505 with the reason) and hands new
/// requests, 2xx ACKs and stray responses to the <see cref="ITransactionUser"/>.
/// </summary>
public sealed class TransactionLayer : ISipMessageSink
{
    /// <summary>Starts a client transaction: sends <paramref name="request"/> (whose top Via carries <paramref name="branch"/>) down <paramref name="flow"/>.</summary>
    public ClientTransaction StartClientTransaction(SipFlow flow, ReadOnlyMemory<byte> request, string branch, SipMethod method, IClientTransactionUser user) =>
        throw new NotSupportedException("skeleton");

    /// <summary>The INVITE server transaction a CANCEL refers to (same branch and sent-by, §9.2), if it still exists.</summary>
    public ServerTransaction? FindInviteServerTransaction(SipRequest cancel) => throw new NotSupportedException("skeleton");

    /// <summary>A fresh RFC 3261 branch: the magic cookie plus 128 random bits.</summary>
    public static string NewBranch() => throw new NotSupportedException("skeleton");

    /// <inheritdoc/>
    public void OnMessage(SipMessage message, SipFlow flow) => throw new NotSupportedException("skeleton");

    /// <inheritdoc/>
    public void OnUnparsable(ReadOnlyMemory<byte> frame, string reason, SipFlow flow) => throw new NotSupportedException("skeleton");

    /// <inheritdoc/>
    public void OnFlowClosed(SipFlow flow) => throw new NotSupportedException("skeleton");
}
