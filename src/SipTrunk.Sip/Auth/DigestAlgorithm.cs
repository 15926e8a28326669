namespace SipTrunk.Sip.Auth;

/// <summary>
/// Hash algorithms of HTTP/SIP digest authentication: RFC 7616 §3.2 (MD5, SHA-256, SHA-512-256), which RFC 8760
/// brings to SIP. The <c>-sess</c> variants are not supported.
/// </summary>
public enum DigestAlgorithm
{
    /// <summary><c>MD5</c>: RFC 2617, still the only algorithm many PBXs and softphones speak.</summary>
    Md5,

    /// <summary><c>SHA-256</c>: RFC 7616 §3.2, RFC 8760 §2.</summary>
    Sha256,

    /// <summary><c>SHA-512-256</c>: SHA-512/256 of FIPS 180-4 §6.7 (its own initial hash values, not a truncated SHA-512).</summary>
    Sha512_256,
}
