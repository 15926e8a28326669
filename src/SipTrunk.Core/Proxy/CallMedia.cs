using SipTrunk.Core.Media;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// A call's side of media anchoring, as both call directions use it: the initial INVITE's offer toward each attempt,
/// the callee's 18x/2xx answers (or its offer, when the INVITE had none), the answer that arms the inactivity timeout,
/// and the statistics when the call ends.
/// </summary>
internal sealed class CallMedia
{
    private readonly MediaSession _session;
    private readonly bool _offerInInvite;

    private CallMedia(MediaSession session, bool offerInInvite)
    {
        _session = session;
        _offerInInvite = offerInInvite;
    }

    /// <summary>A trunk peer's media policy (<c>Peers[].Srtp</c>).</summary>
    public static MediaLegPolicy PeerPolicy(PeerDefinition peer) => new(peer.Srtp, IsPeer: true);

    /// <summary>A carrier's media policy (<c>Carriers[].Srtp</c>).</summary>
    public static MediaLegPolicy CarrierPolicy(Routing.CarrierDefinition carrier) => new(carrier.Srtp, IsPeer: false);

    /// <summary>Starts a call's media session when the proxy anchors media; null when it does not.</summary>
    public static CallMedia? Start(SipProxy proxy, SipRequest invite, MediaLegPolicy caller, MediaLegPolicy callee) =>
        proxy.Media is { } media && invite.CallId is { } callId
            ? new CallMedia(media.Create(callId, caller, callee), SdpBody.IsPresent(invite))
            : null;

    /// <summary>The response to send upstream: the media's rewrite of a callee's response, or the plain forward.</summary>
    public static byte[] Forward(CallMedia? media, SipResponse response) =>
        media is null ? ProxyMessageFactory.ForwardResponse(response) : media.ForwardFromCallee(response);

    /// <summary>
    /// The INVITE's offer as the callee of this attempt must see it (null: the INVITE has no SDP), or a refusal.
    /// </summary>
    public SdpOutcome? OfferToCallee(SipRequest invite, MediaLegPolicy callee) =>
        _offerInInvite ? _session.Offer(MediaSide.Caller, invite.Body.Span, callee) : null;

    /// <summary>A callee's response with its SDP anchored; a body that cannot be anchored is removed, never leaked.</summary>
    public byte[] ForwardFromCallee(SipResponse response)
    {
        if (!SdpBody.IsPresent(response))
        {
            return ProxyMessageFactory.ForwardResponse(response);
        }

        if (response.StatusCode >= 300)
        {
            // No offer or answer rides on a failure response; its addresses are nobody's business.
            return ProxyMessageFactory.ForwardResponse(response, ReadOnlyMemory<byte>.Empty);
        }

        var outcome = _offerInInvite
            ? _session.Answer(MediaSide.Callee, response.Body.Span)
            : _session.OfferOrAnswer(MediaSide.Callee, response.Body.Span);
        return ProxyMessageFactory.ForwardResponse(response, outcome.Body ?? ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>The call is answered by a callee with this policy: later re-offers use it, and media inactivity is watched.</summary>
    public void Answered(MediaLegPolicy callee, Action onInactive)
    {
        _session.UpdatePolicy(MediaSide.Callee, callee);
        _session.MarkAnswered(_ => onInactive());
    }

    /// <summary>Ends the session: its statistics (also added to the media metrics), then its ports and keys released.</summary>
    public MediaCallStats? Finish(Diagnostics.SipTrunkMetrics metrics)
    {
        var stats = _session.GetStats();
        _session.Dispose();
        if (stats is not null)
        {
            metrics.MediaCallBytes.Add("in", stats.BytesIn);
            metrics.MediaCallBytes.Add("out", stats.BytesOut);
            metrics.MediaPacketsLost.Add("in", stats.PacketsLostIn);
            metrics.MediaPacketsLost.Add("out", stats.PacketsLostOut);
        }

        return stats;
    }
}
