namespace SipTrunk.Sip.Sdp;

/// <summary>Media direction attribute (RFC 8866 §6.7, RFC 3264 §5.1).</summary>
public enum SdpDirection
{
    /// <summary><c>a=sendrecv</c>; also the meaning when no direction attribute is present.</summary>
    SendRecv,

    /// <summary><c>a=sendonly</c> (e.g. a hold offer, RFC 3264 §8.4).</summary>
    SendOnly,

    /// <summary><c>a=recvonly</c>.</summary>
    RecvOnly,

    /// <summary><c>a=inactive</c>.</summary>
    Inactive,
}
