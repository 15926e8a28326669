namespace SipTrunk.Core.Transport;

/// <summary>Why a TLS handshake was refused; the lower-case name is the metric label and the log reason.</summary>
public enum HandshakeFailureReason
{
    /// <summary>The client sent no certificate on a listener that requires one.</summary>
    NoCertificate,

    /// <summary>The certificate chains to none of the trusted CAs (or its signature is bad).</summary>
    Untrusted,

    /// <summary>The certificate (or one in its chain) is outside its validity dates.</summary>
    Expired,

    /// <summary>The certificate lacks the extended key usage for its role (clientAuth / serverAuth).</summary>
    WrongUsage,

    /// <summary>The certificate is revoked by a configured CRL.</summary>
    Revoked,

    /// <summary>The server name or pinned fingerprint did not match (outbound), or the identity is refused.</summary>
    UnknownIdentity,

    /// <summary>Protocol version, cipher suite or a malformed handshake.</summary>
    Protocol,

    /// <summary>The handshake did not finish within the handshake timeout.</summary>
    Timeout,
}
