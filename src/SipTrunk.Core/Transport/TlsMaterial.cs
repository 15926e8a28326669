using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SipTrunk.Core.Transport;

/// <summary>
/// One generation of <see cref="TlsSettings"/> with what the handshakes build from it (certificate contexts, cipher
/// policy). Immutable: a reload builds a new one and swaps it; a handshake reads the current one once, at its start,
/// so connections already up keep theirs and the next handshake uses the new one.
/// </summary>
internal sealed class TlsMaterial
{
    public TlsMaterial(TlsSettings settings)
    {
        Settings = settings;

        // sendTrustInHandshake puts the CA names in the CertificateRequest (RFC 8446 §4.2.4), so a PBX holding several
        // certificates presents the one we can verify. OpenSSL caches its SSL_CTX (and so the session ticket key) per
        // context: a new generation never resumes sessions made with the old certificate, CAs or lists.
        ServerContext = SslStreamCertificateContext.Create(
            settings.ServerCertificate,
            settings.IntermediateCertificates,
            offline: true,
            trust: SslCertificateTrust.CreateForX509Collection(settings.TrustedCaCertificates, sendTrustInHandshake: true));
        ClientContext = SslStreamCertificateContext.Create(settings.ServerCertificate, settings.IntermediateCertificates, offline: true);
        CipherSuites = CreateCipherSuitesPolicy(settings.EffectiveCipherSuites);
    }

    public TlsSettings Settings { get; }

    public SslStreamCertificateContext ServerContext { get; }

    public SslStreamCertificateContext ClientContext { get; }

    public CipherSuitesPolicy CipherSuites { get; }

    private static CipherSuitesPolicy CreateCipherSuitesPolicy(IReadOnlyList<TlsCipherSuite> suites)
    {
        // Windows takes cipher suites from system policy only; silently ignoring ours there would weaken TLS unnoticed.
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("TLS cipher suite policy needs OpenSSL (Linux) or macOS");
        }

        return new CipherSuitesPolicy(suites);
    }
}
