namespace SipTrunk.Configuration;

/// <summary><c>Listeners[].ClientCertificate</c>: whether a TLS listener asks for a client certificate (mutual TLS).</summary>
internal enum ClientCertificateMode
{
    Require,
    Optional,
    None,
}
