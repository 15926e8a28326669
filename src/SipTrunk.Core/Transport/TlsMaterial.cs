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
        CipherSuites = CanResume(settings) ? null : CreateCipherSuitesPolicy(settings.EffectiveCipherSuites);
    }

    public TlsSettings Settings { get; }

    public SslStreamCertificateContext ServerContext { get; }

    public SslStreamCertificateContext ClientContext { get; }

    /// <summary>The suite policy handed to SslStream; null leaves the choice to OpenSSL (see <see cref="CanResume"/>).</summary>
    public CipherSuitesPolicy? CipherSuites { get; }

    /// <summary>
    /// Whether handshakes with these settings can resume sessions. .NET on Linux keeps OpenSSL's SSL_CTX (which holds
    /// the session cache and ticket key) per certificate context only when no <see cref="CipherSuitesPolicy"/> is set;
    /// with a policy every handshake gets a fresh SSL_CTX and never resumes. Without a policy, TLS 1.2 would fall back
    /// to the framework's list, which adds ECDHE CBC-SHA2 suites (not AEAD; RFC 9325 §4.2), unless SipTrunk's OpenSSL
    /// configuration is in force (<see cref="OpenSslDefaults"/>), which limits TLS 1.2 to the default suites. So the
    /// default suites resume when that configuration holds, or when TLS 1.3 alone is allowed (its suites are all AEAD
    /// with (EC)DHE); an explicit <c>Tls:CipherSuites</c> list needs a policy and does not.
    /// </summary>
    public static bool CanResume(TlsSettings settings) =>
        settings.SessionResumption
        && settings.CipherSuites is not { Count: > 0 }
        && (settings.Protocols == System.Security.Authentication.SslProtocols.Tls13 || OpenSslDefaults.InForce);

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
