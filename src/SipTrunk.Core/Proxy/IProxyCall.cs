using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Proxy;

/// <summary>A call the proxy routes (either direction), as the dialog-level code sees it.</summary>
internal interface IProxyCall
{
    string CallId { get; }

    /// <summary>The caller sent CANCEL: cancel every branch still ringing.</summary>
    void CancelByCaller();

    /// <summary>A 2xx retransmission that no transaction matched any more (RFC 6026): forwarded to the caller again.</summary>
    void ForwardStrayAnswer(SipResponse response);

    /// <summary>The dialog ended (BYE) from the peer's side (<paramref name="byPeer"/>) or the carrier's.</summary>
    void End(bool byPeer, string reason);

    /// <summary>
    /// SipTrunk ends the call itself (shutdown): an answered call gets a BYE to both parties, a ringing one a CANCEL
    /// toward the callee and 487 to the caller. Its record says ended by <c>proxy</c> for <paramref name="reason"/>.
    /// </summary>
    void EndByProxy(string reason);
}
