using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>An RFC 3261 §17.1 client transaction (INVITE or non-INVITE). Thread-safe.</summary>
public sealed class ClientTransaction
{
    private ClientTransaction(SipFlow flow, string branch, SipMethod method, ReadOnlyMemory<byte> request)
    {
        Flow = flow;
        Branch = branch;
        Method = method;
        Request = request;
    }

    public SipFlow Flow { get; }

    public string Branch { get; }

    public SipMethod Method { get; }

    public bool IsInvite => Method == SipMethod.Invite;

    /// <summary>The request bytes as sent.</summary>
    public ReadOnlyMemory<byte> Request { get; }

    public TransactionState State => throw new NotSupportedException("skeleton");

    /// <summary>The transaction user's own state (the proxy's branch context).</summary>
    public object? UserState { get; set; }

    /// <summary>
    /// RFC 3261 §9.1: cancels an INVITE transaction. The CANCEL is sent at once when a provisional response has been
    /// received, otherwise as soon as one arrives; nothing is sent once a final response arrived. The CANCEL's own
    /// transaction is the layer's business; the INVITE then ends with 487 (reported) or Timer B (reported).
    /// </summary>
    public void Cancel() => throw new NotSupportedException("skeleton");
}
