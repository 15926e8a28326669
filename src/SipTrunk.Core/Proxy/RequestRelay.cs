using System.Globalization;
using SipTrunk.Core.Transactions;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// Relays one in-dialog request statefully (RFC 3261 §16.7): every response but 100 goes back through the server
/// transaction; a timeout becomes 408 and a transport failure 503 (§16.9). A BYE's final response ends the call.
/// </summary>
internal sealed class RequestRelay : IClientTransactionUser
{
    private readonly SipProxy _proxy;
    private readonly ServerTransaction _server;
    private readonly bool? _byeFromPeer;
    private readonly CallLogScope _logScope;
    private readonly InDialogMedia? _media;

    /// <param name="proxy">The proxy.</param>
    /// <param name="server">The server transaction of the request being relayed.</param>
    /// <param name="byeFromPeer">For a BYE: whether the peer side sent it; <see langword="null"/> for other methods.</param>
    /// <param name="logScope">The call's logging properties: responses arrive on a connection that is no call's own.</param>
    /// <param name="media">The call's media anchoring for this request's responses, when the call has media.</param>
    public RequestRelay(SipProxy proxy, ServerTransaction server, bool? byeFromPeer, CallLogScope logScope, InDialogMedia? media = null)
    {
        _proxy = proxy;
        _server = server;
        _byeFromPeer = byeFromPeer;
        _logScope = logScope;
        _media = media;
    }

    public void OnResponse(ClientTransaction transaction, SipResponse response)
    {
        if (response.StatusCode == 100)
        {
            return;
        }

        using var scope = _proxy.Logger.BeginScope(_logScope);
        // The call is over (and its limits slot free) before the sender of the BYE hears so.
        if (response.StatusCode >= 200)
        {
            EndDialogIfBye("bye");
        }

        _server.SendResponse(response.StatusCode, _media is null ? ProxyMessageFactory.ForwardResponse(response) : _media.ForwardResponse(response));
    }

    public void OnTimeout(ClientTransaction transaction)
    {
        using var scope = _proxy.Logger.BeginScope(_logScope);
        EndDialogIfBye("bye-timeout");
        SipProxy.Respond(_server, 408, "Request Timeout");
    }

    public void OnTransportError(ClientTransaction transaction)
    {
        using var scope = _proxy.Logger.BeginScope(_logScope);
        EndDialogIfBye("bye-transport-error");
        SipProxy.Respond(_server, 503, "Service Unavailable", (HeaderId.RetryAfter, _proxy.Settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)));
    }

    // RFC 3261 §15.1.2: a BYE ends the dialog whatever its final response says.
    private void EndDialogIfBye(string reason)
    {
        if (_byeFromPeer is { } byPeer && _server.Request.CallId is { } callId)
        {
            _proxy.OnDialogEnded(callId, byPeer, reason);
        }
    }
}
