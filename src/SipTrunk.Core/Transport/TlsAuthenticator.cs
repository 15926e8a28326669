using System.ComponentModel;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SipTrunk.Core.Transport;

/// <summary>
/// Runs the server and client sides of TLS handshakes with SipTrunk's certificate and policy (ARCHITECTURE.md "TLS"):
/// TLS 1.2/1.3 only, ECDHE+AEAD suites, no renegotiation, certificates judged by <see cref="CertificateVerifier"/>.
/// Timeouts are the caller's cancellation token.
/// </summary>
internal sealed class TlsAuthenticator
{
    private readonly TlsSettings _settings;
    private readonly TimeProvider _time;
    private readonly SslStreamCertificateContext _serverContext;
    private readonly SslStreamCertificateContext _clientContext;
    private readonly CipherSuitesPolicy _cipherSuites;

    public TlsAuthenticator(TlsSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;

        // sendTrustInHandshake puts the CA names in the CertificateRequest (RFC 8446 §4.2.4), so a PBX holding several
        // certificates presents the one we can verify.
        _serverContext = SslStreamCertificateContext.Create(
            settings.ServerCertificate,
            settings.IntermediateCertificates,
            offline: true,
            trust: SslCertificateTrust.CreateForX509Collection(settings.TrustedCaCertificates, sendTrustInHandshake: true));
        _clientContext = SslStreamCertificateContext.Create(settings.ServerCertificate, settings.IntermediateCertificates, offline: true);
        _cipherSuites = CreateCipherSuitesPolicy(settings.EffectiveCipherSuites);
    }

    /// <summary>
    /// Accepts a TLS client on <paramref name="inner"/>, which the returned stream owns; a cancelled handshake is a
    /// <see cref="HandshakeFailureReason.Timeout"/> failure.
    /// </summary>
    public async Task<TlsHandshakeResult> AuthenticateAsServerAsync(
        Stream inner, ClientCertificateRequirement requirement, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var verdict = new Verdict();
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _serverContext,
            ClientCertificateRequired = requirement != ClientCertificateRequirement.None,
            EnabledSslProtocols = _settings.Protocols,
            CipherSuitesPolicy = _cipherSuites,
            AllowRenegotiation = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                VerifyClient(verdict, certificate, chain, requirement),
        };

        return await HandshakeAsync(ssl, verdict, () => ssl.AuthenticateAsServerAsync(options, cancellationToken));
    }

    /// <summary>
    /// Opens TLS toward <paramref name="target"/> on <paramref name="inner"/>, presenting our certificate; a cancelled
    /// handshake is a <see cref="HandshakeFailureReason.Timeout"/> failure.
    /// </summary>
    public async Task<TlsHandshakeResult> AuthenticateAsClientAsync(Stream inner, OutboundTarget target, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var verdict = new Verdict();
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = target.EffectiveServerName,
            ClientCertificateContext = _clientContext,
            EnabledSslProtocols = _settings.Protocols,
            CipherSuitesPolicy = _cipherSuites,
            AllowRenegotiation = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) => VerifyServer(verdict, certificate, chain, target),
        };

        return await HandshakeAsync(ssl, verdict, () => ssl.AuthenticateAsClientAsync(options, cancellationToken));
    }

    private static async Task<TlsHandshakeResult> HandshakeAsync(SslStream ssl, Verdict verdict, Func<Task> handshake)
    {
        try
        {
            await handshake();
        }
        catch (OperationCanceledException)
        {
            // The caller's token is its timeout (or shutdown, which the caller recognises and does not count).
            return new TlsHandshakeResult(ssl, null, HandshakeFailureReason.Timeout, "handshake not finished in time", verdict.PeerSubject);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or Win32Exception or ObjectDisposedException)
        {
            // No verdict means the certificate was never judged: version, cipher or a broken/aborted handshake.
            var failure = verdict.Failure ?? HandshakeFailureReason.Protocol;
            return new TlsHandshakeResult(ssl, null, failure, verdict.Detail ?? ex.Message, verdict.PeerSubject);
        }

        var remote = ssl.RemoteCertificate is { } certificate ? CertificateVerifier.AsCertificate2(certificate) : null;
        var session = new TlsSessionInfo(
            ssl.SslProtocol,
            ssl.NegotiatedCipherSuite,
            remote?.Subject,
            remote is null ? [] : SubjectAltNames.Read(remote).PeerIdentities,
            remote is null ? null : CertificateVerifier.Sha256Hex(remote));
        return new TlsHandshakeResult(ssl, session, null, null, remote?.Subject);
    }

    private bool VerifyClient(Verdict verdict, X509Certificate? certificate, X509Chain? chain, ClientCertificateRequirement requirement)
    {
        if (certificate is null)
        {
            if (requirement == ClientCertificateRequirement.Require)
            {
                return verdict.Refuse(HandshakeFailureReason.NoCertificate, "no client certificate");
            }

            return true;
        }

        var leaf = CertificateVerifier.AsCertificate2(certificate);
        verdict.PeerSubject = leaf.Subject;
        var failure = CertificateVerifier.VerifyChain(
            leaf, chain, _settings.TrustedCaCertificates, CertificateVerifier.ClientAuthOid, _time.GetUtcNow());
        return failure is not { } reason || verdict.Refuse(reason, $"client certificate {reason.ToLabel()}");
    }

    private bool VerifyServer(Verdict verdict, X509Certificate? certificate, X509Chain? chain, OutboundTarget target)
    {
        if (certificate is null)
        {
            return verdict.Refuse(HandshakeFailureReason.NoCertificate, "the server sent no certificate");
        }

        var leaf = CertificateVerifier.AsCertificate2(certificate);
        verdict.PeerSubject = leaf.Subject;
        var failure = CertificateVerifier.VerifyChain(
            leaf, chain, target.TrustedCaCertificates, CertificateVerifier.ServerAuthOid, _time.GetUtcNow());
        if (failure is { } reason)
        {
            return verdict.Refuse(reason, reason.ToLabel());
        }

        var name = target.EffectiveServerName;
        if (!SubjectAltNames.Read(leaf).Matches(name))
        {
            return verdict.Refuse(HandshakeFailureReason.UnknownIdentity, $"the certificate does not name {name}");
        }

        if (target.Sha256Pin is { } pin && !string.Equals(CertificateVerifier.Sha256Hex(leaf), pin, StringComparison.OrdinalIgnoreCase))
        {
            return verdict.Refuse(HandshakeFailureReason.UnknownIdentity, "the certificate does not match the SHA-256 pin");
        }

        return true;
    }

    private static CipherSuitesPolicy CreateCipherSuitesPolicy(IReadOnlyList<TlsCipherSuite> suites)
    {
        // Windows takes cipher suites from system policy only; silently ignoring ours there would weaken TLS unnoticed.
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("TLS cipher suite policy needs OpenSSL (Linux) or macOS");
        }

        return new CipherSuitesPolicy(suites);
    }

    /// <summary>What the validation callback decided, read after the handshake throws.</summary>
    private sealed class Verdict
    {
        public HandshakeFailureReason? Failure { get; private set; }

        public string? Detail { get; private set; }

        public string? PeerSubject { get; set; }

        public bool Refuse(HandshakeFailureReason reason, string detail)
        {
            Failure = reason;
            Detail = detail;
            return false;
        }
    }
}
