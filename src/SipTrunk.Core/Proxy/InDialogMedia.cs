using SipTrunk.Core.Media;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// Media anchoring for one in-dialog request and its responses (RFC 3264 §8): a re-INVITE or UPDATE with SDP is an
/// offer and its 2xx the answer; a re-INVITE without SDP gets the offer in its 2xx and the answer in the ACK; PRACK
/// follows the negotiation state. Hold and resume are re-offers like any other.
/// </summary>
internal sealed class InDialogMedia
{
    private readonly MediaSession _session;
    private readonly SipMethod _method;
    private readonly MediaSide _sender;
    private bool _offered;

    private InDialogMedia(MediaSession session, SipMethod method, MediaSide sender)
    {
        _session = session;
        _method = method;
        _sender = sender;
    }

    /// <summary>The anchoring for a request of a call with media; null when the call has none.</summary>
    public static InDialogMedia? For(SipProxy proxy, SipRequest request, bool fromPeer)
    {
        if (proxy.Media?.Find(request.CallId) is not { PeerSide: { } peerSide } session)
        {
            return null;
        }

        var sender = fromPeer ? peerSide : Other(peerSide);
        return new InDialogMedia(session, request.Method, sender);
    }

    /// <summary>Anchors the request's SDP, if any: <paramref name="body"/> is the body to forward (null: unchanged).</summary>
    public bool TryAnchorRequest(SipRequest request, out ReadOnlyMemory<byte>? body, out SdpOutcome refusal)
    {
        body = null;
        refusal = default;
        if (!SdpBody.IsPresent(request))
        {
            return true;
        }

        var outcome = _method switch
        {
            SipMethod.Ack => _session.Answer(_sender, request.Body.Span),
            SipMethod.Invite or SipMethod.Update => _session.Offer(_sender, request.Body.Span),
            _ => _session.OfferOrAnswer(_sender, request.Body.Span),
        };
        if (outcome.IsRefused)
        {
            if (_method == SipMethod.Ack)
            {
                // An ACK cannot be refused: its unusable SDP is removed rather than leaked.
                body = ReadOnlyMemory<byte>.Empty;
                return true;
            }

            refusal = outcome;
            return false;
        }

        _offered = _method is SipMethod.Invite or SipMethod.Update;
        body = outcome.Body;
        return true;
    }

    /// <summary>A response to the request, its SDP anchored; a failure ends the pending offer.</summary>
    public byte[] ForwardResponse(SipResponse response)
    {
        var answerer = Other(_sender);
        if (response.StatusCode >= 300)
        {
            if (_offered)
            {
                // RFC 3264 §8: a refused re-offer leaves the previous session in force.
                _session.OfferRejected();
            }

            return SdpBody.IsPresent(response)
                ? ProxyMessageFactory.ForwardResponse(response, ReadOnlyMemory<byte>.Empty)
                : ProxyMessageFactory.ForwardResponse(response);
        }

        if (!SdpBody.IsPresent(response))
        {
            return ProxyMessageFactory.ForwardResponse(response);
        }

        var outcome = _offered ? _session.Answer(answerer, response.Body.Span)
            : _method == SipMethod.Invite ? _session.Offer(answerer, response.Body.Span)
            : _session.OfferOrAnswer(answerer, response.Body.Span);
        return ProxyMessageFactory.ForwardResponse(response, outcome.Body ?? ReadOnlyMemory<byte>.Empty);
    }

    private static MediaSide Other(MediaSide side) => side == MediaSide.Caller ? MediaSide.Callee : MediaSide.Caller;
}
