namespace SipTrunk.Core.Media;

/// <summary>What SipTrunk offers a party and accepts from it (CONTRACT.md §3 <c>Carriers[].Srtp</c>).</summary>
public enum LegSrtpPolicy
{
    /// <summary>Offer <c>RTP/SAVP</c> with SDES keys; plain RTP from this party is refused.</summary>
    Require,

    /// <summary>Offer <c>RTP/AVP</c> with SDES keys (best-effort SRTP): SRTP if the answer has a key, else plain RTP.</summary>
    Optional,

    /// <summary>Offer plain <c>RTP/AVP</c>; SipTrunk bridges to SRTP on the other leg.</summary>
    None,
}
