using System.Net;
using SipTrunk.Core.Media.Srtp;
using SipTrunk.Sip.Sdp;

namespace SipTrunk.Core.Media;

/// <summary>What SipTrunk knows of one party for one media stream: its address and keys, and the keys SipTrunk gave it.</summary>
internal sealed class MediaLeg
{
    /// <summary>The party's RTP address from its latest SDP.</summary>
    public IPEndPoint? Rtp { get; set; }

    /// <summary>The party's RTCP address (<c>a=rtcp</c>, else RTP port + 1).</summary>
    public IPEndPoint? Rtcp { get; set; }

    /// <summary>The party asked for RTCP multiplexing (RFC 5761).</summary>
    public bool RtcpMux { get; set; }

    /// <summary>The <c>m=</c> protocol of the party's last offer (an answer to it must use the same).</summary>
    public string Protocol { get; set; } = "RTP/AVP";

    /// <summary>RTP clock rate of the party's first format.</summary>
    public int ClockRate { get; set; } = 8000;

    /// <summary>The stream is declined or unusable on this leg.</summary>
    public bool Active { get; set; } = true;

    /// <summary>The supported keys the party offered (when it was the offerer), in its order.</summary>
    public IReadOnlyList<SdpCrypto> OfferedByParty { get; set; } = [];

    /// <summary>The keys SipTrunk offered the party (when SipTrunk forwarded an offer to it).</summary>
    public IReadOnlyList<SdpCrypto> OfferedToParty { get; set; } = [];

    /// <summary>The offer sent to the party carried the other party's keys verbatim (passthrough).</summary>
    public bool OfferedVerbatim { get; set; }

    /// <summary>The key the party sends with (its SDP's chosen crypto); null when it sends plain RTP.</summary>
    public SdpCrypto? PartyKey { get; set; }

    /// <summary>The key SipTrunk sends to the party with; null when SipTrunk sends plain RTP.</summary>
    public SdpCrypto? SipTrunkKey { get; set; }

    /// <summary>The context that unprotects what the party sends, and the key it was made from.</summary>
    public (SdpCrypto Key, SrtpContext Context)? Decrypt { get; set; }

    /// <summary>The context that protects what SipTrunk sends the party, and the key it was made from.</summary>
    public (SdpCrypto Key, SrtpContext Context)? Encrypt { get; set; }
}
