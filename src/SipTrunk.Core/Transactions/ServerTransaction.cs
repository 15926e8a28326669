using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>An RFC 3261 §17.2 server transaction (INVITE or non-INVITE). Thread-safe.</summary>
public sealed class ServerTransaction
{
    private ServerTransaction(SipRequest request, SipFlow flow)
    {
        Request = request;
        Flow = flow;
    }

    public SipRequest Request { get; }

    /// <summary>The flow the request arrived on; responses go back down it (RFC 3261 §18.2.2).</summary>
    public SipFlow Flow { get; }

    public bool IsInvite => Request.Method == SipMethod.Invite;

    public string Branch => throw new NotSupportedException("skeleton");

    public TransactionState State => throw new NotSupportedException("skeleton");

    /// <summary>The status code of the last response sent, 0 before any.</summary>
    public int LastStatusCode => throw new NotSupportedException("skeleton");

    /// <summary>The transaction user's own state (the proxy's call context).</summary>
    public object? UserState { get; set; }

    /// <summary>
    /// Sends a response (the caller gives up <paramref name="response"/>). 1xx keeps the transaction open, 2xx on INVITE
    /// moves to Accepted (RFC 6026; further 2xx may still be sent), other finals to Completed with retransmission on
    /// UDP. Returns false when the transaction cannot send any more (a final non-2xx already sent, or terminated) or the
    /// flow refused the bytes.
    /// </summary>
    public bool SendResponse(int statusCode, ReadOnlyMemory<byte> response) => throw new NotSupportedException("skeleton");
}
