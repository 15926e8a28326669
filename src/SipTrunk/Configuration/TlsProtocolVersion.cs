namespace SipTrunk.Configuration;

/// <summary><c>Tls.MinProtocol</c>: the oldest TLS version accepted; older versions are never offered.</summary>
internal enum TlsProtocolVersion
{
    Tls12,
    Tls13,
}
