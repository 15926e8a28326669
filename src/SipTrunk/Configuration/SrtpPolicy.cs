namespace SipTrunk.Configuration;

/// <summary><c>Carriers[].Srtp</c>: what SipTrunk offers toward a carrier (RTP/SAVP with SDES, either, or RTP/AVP).</summary>
internal enum SrtpPolicy
{
    Require,
    Optional,
    None,
}
