namespace SipTrunk.Core.Media.Srtp;

/// <summary>What became of one packet given to <see cref="SrtpContext"/>.</summary>
public enum SrtpResult
{
    /// <summary>Protected or unprotected; the output holds the packet.</summary>
    Ok,

    /// <summary>Not an RTP/RTCP packet this context can handle (too short, wrong version, truncated header).</summary>
    Malformed,

    /// <summary>The output span is too small (it needs the input length plus the suite's overhead).</summary>
    OutputTooSmall,

    /// <summary>The authentication tag (or AEAD tag) did not verify: forged or corrupted, dropped (RFC 3711 §3.3 step 5).</summary>
    AuthenticationFailed,

    /// <summary>Already received, or older than the replay window (RFC 3711 §3.3.2): dropped.</summary>
    Replayed,
}
