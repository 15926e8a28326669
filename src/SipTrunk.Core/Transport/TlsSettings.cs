using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SipTrunk.Core.Transport;

/// <summary>SipTrunk's TLS identity and policy, for TLS listeners and for outbound TLS connections.</summary>
public sealed record TlsSettings
{
    /// <summary>
    /// The default suites: TLS 1.3's AEAD suites and TLS 1.2's ECDHE (forward secret) suites with AEAD ciphers only
    /// (RFC 9325 §4.2); no CBC, no static RSA key exchange.
    /// </summary>
    public static IReadOnlyList<TlsCipherSuite> DefaultCipherSuites { get; } = Array.AsReadOnly(
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]);

    /// <summary>
    /// SipTrunk's certificate with its private key: presented by TLS listeners, and as the client certificate when
    /// SipTrunk connects to carriers.
    /// </summary>
    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>Intermediate CA certificates sent with <see cref="ServerCertificate"/>; null or empty when it is issued by a root.</summary>
    public X509Certificate2Collection? IntermediateCertificates { get; init; }

    /// <summary>
    /// The only trust anchors for client certificates (never the system store), and the default trust for carriers
    /// unless a target names its own. Their names are sent in the CertificateRequest so clients pick the right certificate.
    /// </summary>
    public required X509Certificate2Collection TrustedCaCertificates { get; init; }

    /// <summary>
    /// Offline revocation lists (<c>Tls:CertificateRevocationLists</c>): a certificate a list revokes is refused in the
    /// handshake as <see cref="HandshakeFailureReason.Revoked"/>, peers' client certificates and carriers' alike.
    /// </summary>
    public IReadOnlyList<RevocationList> RevocationLists { get; init; } = [];

    /// <summary>
    /// TLS session resumption (<c>Tls:SessionResumption</c>): TLS 1.3 tickets and the TLS 1.2 session cache, on both
    /// sides. A resumed session skips the certificate exchange, so a reload (new certificate, CAs or lists) starts a
    /// new ticket key and every connection after it makes a full handshake again.
    /// </summary>
    public bool SessionResumption { get; init; } = true;

    /// <summary>TLS 1.2 and 1.3 (default), or TLS 1.3 alone; nothing older (RFC 8996).</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The allowed cipher suites; null or empty means <see cref="DefaultCipherSuites"/>.</summary>
    public IReadOnlyList<TlsCipherSuite>? CipherSuites { get; init; }

    /// <summary>The suites actually offered and accepted.</summary>
    public IReadOnlyList<TlsCipherSuite> EffectiveCipherSuites => CipherSuites is { Count: > 0 } suites ? suites : DefaultCipherSuites;

    /// <summary>True for the protocol sets SipTrunk accepts: TLS 1.2 and 1.3, or TLS 1.3 alone.</summary>
    public static bool IsSupportedProtocols(SslProtocols protocols) =>
        protocols is (SslProtocols.Tls12 | SslProtocols.Tls13) or SslProtocols.Tls13;

    /// <summary>Throws when the settings cannot work; the host validates configuration before this point.</summary>
    /// <exception cref="ArgumentException">No private key, an unsupported protocol set, or no trusted CA.</exception>
    public void Validate()
    {
        if (!ServerCertificate.HasPrivateKey)
        {
            throw new ArgumentException("the server certificate has no private key", nameof(ServerCertificate));
        }

        if (!IsSupportedProtocols(Protocols))
        {
            throw new ArgumentException($"protocols {Protocols} not allowed: use Tls12 and Tls13, or Tls13 alone", nameof(Protocols));
        }
    }
}
