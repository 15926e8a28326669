namespace SipTrunk.Core.Transport;

/// <summary>Whether a TLS listener asks for, and insists on, a client certificate (mutual TLS).</summary>
public enum ClientCertificateRequirement
{
    /// <summary>A client without a certificate that chains to a trusted CA is refused at the handshake.</summary>
    Require,

    /// <summary>A certificate is requested; none is accepted, but one that is sent must chain to a trusted CA.</summary>
    Optional,

    /// <summary>No certificate is requested.</summary>
    None,
}
